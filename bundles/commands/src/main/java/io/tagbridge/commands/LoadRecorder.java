package io.tagbridge.commands;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.tagbridge.api.pipeline.Diagnosis;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.WriteRecorder;

/**
 * Follows the load test's values through the writers: what was committed and when, what was backed up.
 * Values of other tags (a driver still running) are ignored.
 */
final class LoadRecorder implements WriteRecorder {

    private final String prefix;
    private final String target;
    final LatencyHistogram writeLatency = new LatencyHistogram();
    final LatencyHistogram sourceToCommit = new LatencyHistogram();
    final AtomicLong written = new AtomicLong();
    final AtomicLong backedUp = new AtomicLong();
    final AtomicLong batches = new AtomicLong();
    final AtomicLong failedAttempts = new AtomicLong();
    volatile long lastCommitNanos;

    /** @param target the one target to follow; null follows every target */
    LoadRecorder(String prefix, String target) {
        this.prefix = prefix;
        this.target = target;
    }

    private boolean follows(String from) {
        return target == null || target.equals(from);
    }

    @Override
    public void written(String from, List<ReceivedValue> values, int alreadyStored, long latencyNanos) {
        if (!follows(from)) {
            return;
        }
        long nowMicros = ReceivedValue.micros(java.time.Instant.now());
        int ours = 0;
        for (ReceivedValue value : values) {
            if (value.value().tagName().startsWith(prefix)) {
                sourceToCommit.record(nowMicros - ReceivedValue.micros(value.value().sourceTime()));
                ours++;
            }
        }
        if (ours > 0) {
            writeLatency.record(latencyNanos / 1000);
            batches.incrementAndGet();
            lastCommitNanos = System.nanoTime();
            written.addAndGet(ours);
        }
    }

    @Override
    public void backedUp(String from, List<ReceivedValue> values, String reason) {
        if (!follows(from)) {
            return;
        }
        backedUp.addAndGet(values.stream().filter(v -> v.value().tagName().startsWith(prefix)).count());
    }

    @Override
    public void failed(String from, int values, long latencyNanos, Diagnosis why) {
        if (!follows(from)) {
            return;
        }
        failedAttempts.incrementAndGet();
    }

    long settled() {
        return written.get() + backedUp.get();
    }

    double successRatePercent() {
        long attempts = batches.get() + failedAttempts.get();
        return attempts == 0 ? 100 : 100.0 * batches.get() / attempts;
    }
}
