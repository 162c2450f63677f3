package io.tagbridge.api.pipeline;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A snapshot of the buffer's counters, all since the buffer started.
 *
 * @param depth          values waiting now
 * @param capacity       values it can hold
 * @param accepted       values taken from drivers
 * @param rejected       values refused because the buffer was full or stopping
 * @param dropped        buffered values discarded to make room (overflow policy DROP_OLDEST)
 * @param lastRejectReason why values were last refused or dropped, empty if never
 */
@ProviderType
public record BufferStatus(int depth, int capacity, long accepted, long rejected, long dropped,
        String lastRejectReason) {

    /** Fill level in percent, 0 to 100. */
    public double fillPercent() {
        return capacity == 0 ? 0 : 100.0 * depth / capacity;
    }
}
