/**
 * Contracts between Tagbridge's own bundles: the buffer drained by the writers, the backup that takes
 * batches the database refused, the recorders that writers report to, and the table each writer offers to
 * tools. They are services, so a bundle can be updated without the others knowing its internals.
 */
@Export
@Version("2.2.0")
package io.tagbridge.api.pipeline;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
