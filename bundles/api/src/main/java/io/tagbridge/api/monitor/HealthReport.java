package io.tagbridge.api.monitor;

import java.time.Instant;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The overall verdict and what it rests on.
 *
 * @param status     the overall verdict, by the rules in the README's Health and metrics section
 * @param reason     the reason code of the part that decided the verdict
 * @param advice     that part's advice
 * @param checkedAt  when it was computed
 * @param components the parts that are not targets, by name: {@code buffer}
 * @param targets    one entry per target, by target name
 */
@ProviderType
public record HealthReport(HealthStatus status, String reason, String advice, Instant checkedAt,
        Map<String, ComponentHealth> components, Map<String, ComponentHealth> targets) {
}
