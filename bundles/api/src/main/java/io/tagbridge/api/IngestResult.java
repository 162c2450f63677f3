package io.tagbridge.api;

import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The answer to an offer: either every value offered was taken, or none was.
 *
 * @param accepted   how many values were taken
 * @param refused    how many were refused; the caller still owns them
 * @param reasonCode why they were refused; null when nothing was refused
 * @param reason     why, in words for a log line; empty when nothing was refused
 */
@ProviderType
public record IngestResult(int accepted, int refused, RefusalReason reasonCode, String reason) {

    public IngestResult {
        if (refused > 0) {
            Objects.requireNonNull(reasonCode, "reasonCode: a refusal needs one");
        }
        reason = reason == null ? "" : reason;
    }

    public static IngestResult accepted(int count) {
        return new IngestResult(count, 0, null, "");
    }

    public static IngestResult refused(int count, RefusalReason code, String reason) {
        return new IngestResult(0, count, code, reason);
    }

    public boolean allAccepted() {
        return refused == 0;
    }
}
