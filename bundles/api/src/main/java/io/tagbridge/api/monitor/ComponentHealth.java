package io.tagbridge.api.monitor;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The verdict on one part of the pipeline: the buffer, or one target.
 *
 * @param status  this part's verdict
 * @param state   what the part is doing, e.g. a target's {@code RETRYING}
 * @param reason  a reason code, e.g. {@code NO_LISTENER}; stable words for scripts and alert rules
 * @param advice  what it means and what to do, or a short confirmation when all is well; it names no host, URL
 *                or user
 * @param error   the error as raised (the database's message), which may name hosts, URLs or users; empty when
 *                there is none
 * @param details figures behind the verdict
 */
@ProviderType
public record ComponentHealth(HealthStatus status, String state, String reason, String advice, String error,
        Map<String, Object> details) {
}
