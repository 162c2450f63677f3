package io.tagbridge.metrics;

import java.time.Instant;
import java.util.List;

import org.HdrHistogram.Histogram;

import io.tagbridge.api.monitor.MetricsSnapshot;
import io.tagbridge.api.pipeline.ReceivedValue;

/** A target's (or all targets') write latency per batch and source-to-commit latency per value. */
final class Latencies {

    final Latency write;
    final Latency sourceToCommit;

    Latencies(int windowSeconds) {
        this.write = new Latency(windowSeconds);
        this.sourceToCommit = new Latency(windowSeconds);
    }

    void written(List<ReceivedValue> values, long latencyNanos, Instant now) {
        write.record(latencyNanos / 1000);
        long nowMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
        for (ReceivedValue value : values) {
            Instant source = value.value().sourceTime();
            sourceToCommit.record(nowMicros - (source.getEpochSecond() * 1_000_000L + source.getNano() / 1000));
        }
    }

    MetricsSnapshot.Percentiles percentiles(Instant now) {
        Histogram writes = write.window(now.getEpochSecond());
        Histogram commits = sourceToCommit.window(now.getEpochSecond());
        return new MetricsSnapshot.Percentiles(Latency.millis(writes, 50), Latency.millis(writes, 99),
                Latency.millis(commits, 50), Latency.millis(commits, 99));
    }
}
