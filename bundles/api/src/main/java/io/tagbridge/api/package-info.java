/**
 * What a gateway driver needs to hand tag values to Tagbridge: {@link io.tagbridge.api.TagValue},
 * {@link io.tagbridge.api.Quality} and the {@link io.tagbridge.api.TagIngest} service.
 */
@Export
@Version("2.2.0")
package io.tagbridge.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
