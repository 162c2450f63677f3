package io.tagbridge.api.pipeline;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

import io.tagbridge.api.RefusalReason;

/**
 * A snapshot of the buffer's door and fill, counted since it started. At the door, {@code offered = accepted +
 * refused}.
 *
 * @param depth          values waiting now
 * @param capacity       values it can hold
 * @param offered        values offered by drivers and producers
 * @param accepted       values taken
 * @param refused        values refused, by reason (every reason present, zero when none)
 * @param dropped        buffered values discarded to make room (overflow policy DROP_OLDEST)
 * @param lastRefusal    why values were last refused or dropped, empty if never
 */
@ProviderType
public record BufferStatus(int depth, int capacity, long offered, long accepted, Map<RefusalReason, Long> refused,
        long dropped, String lastRefusal) {

    public BufferStatus {
        refused = Map.copyOf(refused);
    }

    /** All refused values, whatever the reason. */
    public long refusedTotal() {
        return refused.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Fill level in percent, 0 to 100. */
    public double fillPercent() {
        return capacity == 0 ? 0 : 100.0 * depth / capacity;
    }
}
