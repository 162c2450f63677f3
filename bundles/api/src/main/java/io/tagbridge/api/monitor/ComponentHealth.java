package io.tagbridge.api.monitor;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The verdict on one part of the pipeline.
 *
 * @param status  this part's verdict
 * @param message what is wrong and what to do about it, or a short confirmation when all is well
 * @param details figures behind the verdict
 */
@ProviderType
public record ComponentHealth(HealthStatus status, String message, Map<String, Object> details) {
}
