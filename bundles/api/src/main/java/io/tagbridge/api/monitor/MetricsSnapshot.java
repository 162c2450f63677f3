package io.tagbridge.api.monitor;

import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Rolling metrics over the last {@code windowSeconds} (or since start, when that is shorter), plus counters
 * since start for what an operator checks first.
 *
 * @param windowSeconds         the length of the rolling window
 * @param averageBatchSize      values per committed batch
 * @param averageWriteLatencyMs time from the start of a write to its commit, per committed batch
 * @param throughputPerSecond   values committed per second
 * @param writeSuccessCount     batches committed
 * @param writeFailureCount     write attempts that failed (a batch retried three times counts three)
 * @param successRatePercent    successes out of all attempts; 100 when nothing was attempted
 * @param bufferDepth           values waiting in the buffer now
 * @param bufferCapacity        values the buffer can hold
 * @param valuesWritten         values committed to the database since start
 * @param valuesBackedUp        values saved to backup files since start
 * @param valuesRejected        values the buffer refused since start
 * @param valuesDropped         values the buffer discarded since start (policy DROP_OLDEST)
 * @param lastSuccessfulWrite   when a batch was last committed, null if never
 */
@ProviderType
public record MetricsSnapshot(
        int windowSeconds,
        double averageBatchSize,
        double averageWriteLatencyMs,
        double throughputPerSecond,
        long writeSuccessCount,
        long writeFailureCount,
        double successRatePercent,
        int bufferDepth,
        int bufferCapacity,
        long valuesWritten,
        long valuesBackedUp,
        long valuesRejected,
        long valuesDropped,
        Instant lastSuccessfulWrite) {
}
