package io.tagbridge.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The answer to an offer: either every value offered was taken, or none was.
 *
 * @param accepted how many values were taken into the buffer
 * @param rejected how many were refused; the caller still owns them
 * @param reason   why they were refused, for a log line; empty when nothing was refused
 */
@ProviderType
public record IngestResult(int accepted, int rejected, String reason) {

    public static IngestResult accepted(int count) {
        return new IngestResult(count, 0, "");
    }

    public static IngestResult rejected(int count, String reason) {
        return new IngestResult(0, count, reason);
    }

    public boolean allAccepted() {
        return rejected == 0;
    }
}
