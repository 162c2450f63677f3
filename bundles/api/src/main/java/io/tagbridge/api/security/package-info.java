/** Who may change things on the gateway, and how its secrets are kept: for the REST resources and the console. */
@Export
@Version("1.0.0")
package io.tagbridge.api.security;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
