package io.tagbridge.api.pipeline;

import java.time.Instant;

import io.tagbridge.api.TagValue;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A driver's value as the pipeline carries it: with the time the gateway accepted it, which the database
 * stores beside the source time (a late or clock-skewed source shows as a gap between the two).
 *
 * @param value          what the driver handed over
 * @param receivedMicros when the buffer accepted it, in microseconds since the epoch (UTC)
 */
@ProviderType
public record ReceivedValue(TagValue value, long receivedMicros) {

    public Instant receivedTime() {
        return instant(receivedMicros);
    }

    /** The instant of microseconds since the epoch (since 2.2). */
    public static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    /** Microseconds since the epoch of an instant, the unit {@link #receivedMicros} uses. */
    public static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }
}
