package io.tagbridge.api.monitor;

import java.time.Instant;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The overall verdict, the worst of its components.
 *
 * @param status     the overall verdict
 * @param checkedAt  when it was computed
 * @param components per part: {@code database} (one entry per writer target), {@code buffer}, {@code writer}
 */
@ProviderType
public record HealthReport(HealthStatus status, Instant checkedAt, Map<String, ComponentHealth> components) {
}
