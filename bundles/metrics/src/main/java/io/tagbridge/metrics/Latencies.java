package io.tagbridge.metrics;

import java.time.Instant;

import org.HdrHistogram.Histogram;

import io.tagbridge.api.monitor.MetricsSnapshot;

/** A target's (or all targets') write latency per batch and source-to-commit latency per value. */
final class Latencies {

    final Latency write;
    final Latency sourceToCommit;

    Latencies(int windowSeconds) {
        this.write = new Latency(windowSeconds);
        this.sourceToCommit = new Latency(windowSeconds);
    }

    void written(Commit commit) {
        write.record(commit.writeMicros());
        for (long micros : commit.sourceToCommitMicros()) {
            sourceToCommit.record(micros);
        }
    }

    MetricsSnapshot.Percentiles percentiles(Instant now) {
        Histogram writes = write.window(now.getEpochSecond());
        Histogram commits = sourceToCommit.window(now.getEpochSecond());
        return new MetricsSnapshot.Percentiles(Latency.millis(writes, 50), Latency.millis(writes, 99),
                Latency.millis(commits, 50), Latency.millis(commits, 99));
    }
}
