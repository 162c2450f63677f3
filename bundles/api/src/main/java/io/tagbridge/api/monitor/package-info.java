/** What an operator sees: rolling metrics and the health verdict, as served over REST. */
@Export
@Version("2.2.0")
package io.tagbridge.api.monitor;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
