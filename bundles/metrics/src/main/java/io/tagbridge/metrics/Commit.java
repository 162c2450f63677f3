package io.tagbridge.metrics;

import java.time.Instant;
import java.util.List;

import io.tagbridge.api.pipeline.ReceivedValue;

/**
 * One committed batch in the units the latency records take, worked out once per batch for all of them: the
 * batch's write time and each value's time from source to commit, in microseconds, clamped to what they keep.
 */
record Commit(long writeMicros, long[] sourceToCommitMicros) {

    static Commit of(List<ReceivedValue> values, long latencyNanos, Instant now) {
        long nowMicros = micros(now);
        long[] sourceToCommit = new long[values.size()];
        for (int i = 0; i < sourceToCommit.length; i++) {
            sourceToCommit[i] = clamped(nowMicros - micros(values.get(i).value().sourceTime()));
        }
        return new Commit(clamped(latencyNanos / 1000), sourceToCommit);
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000;
    }

    private static long clamped(long micros) {
        return Math.max(0, Math.min(Latency.MAX_MICROS, micros));
    }
}
