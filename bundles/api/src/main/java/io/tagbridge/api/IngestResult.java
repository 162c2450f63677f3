package io.tagbridge.api;

import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The answer to an offer: either every value offered was taken, or none was. Taken values are accepted (stored) or
 * filtered (within their tag's deadband: nothing to resend); {@code accepted + refused + filtered} is what was
 * offered.
 *
 * @param accepted   how many values were taken
 * @param refused    how many were refused; the caller still owns them
 * @param reasonCode why they were refused; null when nothing was refused
 * @param reason     why, in words for a log line; empty when nothing was refused
 * @param durable    whether the accepted values were on disk when the answer was given (the journal was synced
 *                   after they were written), so that a power cut cannot take them; false for a refusal, for
 *                   values accepted into memory (the journal is off or unavailable), and for an offer that
 *                   returns before the sync (see {@link TagIngest#offer(java.util.List)})
 * @param filtered   how many were taken but not stored, because they changed less than their tag's deadband
 *                   (since 2.2)
 */
@ProviderType
public record IngestResult(int accepted, int refused, RefusalReason reasonCode, String reason, boolean durable,
        int filtered) {

    public IngestResult {
        if (refused > 0) {
            Objects.requireNonNull(reasonCode, "reasonCode: a refusal needs one");
        }
        reason = reason == null ? "" : reason;
        durable = durable && refused == 0;
    }

    /** An answer without a deadband, as answers were before 2.2. */
    public IngestResult(int accepted, int refused, RefusalReason reasonCode, String reason, boolean durable) {
        this(accepted, refused, reasonCode, reason, durable, 0);
    }

    /** An answer that says nothing about the disk, as answers did before 2.1. */
    public IngestResult(int accepted, int refused, RefusalReason reasonCode, String reason) {
        this(accepted, refused, reasonCode, reason, false);
    }

    /** Every value taken, not yet known to be on disk. */
    public static IngestResult accepted(int count) {
        return new IngestResult(count, 0, null, "", false);
    }

    /** Every value taken and on disk. */
    public static IngestResult acceptedOnDisk(int count) {
        return new IngestResult(count, 0, null, "", true);
    }

    public static IngestResult refused(int count, RefusalReason code, String reason) {
        return new IngestResult(0, count, code, reason, false);
    }

    /** This answer, with values the deadband filtered out of the same offer. */
    public IngestResult withFiltered(int count) {
        return new IngestResult(accepted, refused, reasonCode, reason, durable, count);
    }

    public boolean allAccepted() {
        return refused == 0;
    }
}
