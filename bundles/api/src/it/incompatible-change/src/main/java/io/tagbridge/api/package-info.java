/** The driver API at the version it had in release 0.2.0, although a method was removed: no major bump. */
@Export
@Version("2.0.0")
package io.tagbridge.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
