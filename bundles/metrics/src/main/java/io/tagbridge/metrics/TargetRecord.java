package io.tagbridge.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.tagbridge.api.monitor.MetricsSnapshot;
import io.tagbridge.api.pipeline.Diagnosis;
import io.tagbridge.api.pipeline.DropReason;
import io.tagbridge.api.pipeline.TargetBacklog;
import io.tagbridge.api.pipeline.TargetState;

/**
 * What writers report of one target: its state and its rolling window. Its counters are the buffer's, which
 * keeps them with the values (across restarts, with the journal on).
 */
final class TargetRecord {

    private final RollingWindow window;
    private final Latencies latencies;
    private volatile State state;
    private volatile Instant lastSuccessfulWrite;
    private final LongAdder conflicting = new LongAdder();
    private final LongAdder replayed = new LongAdder();
    private final LongAdder quarantined = new LongAdder();

    /** A state with why and since when; replaced whole, so readers see the three together. */
    record State(TargetState state, Diagnosis why, Instant since) {
    }

    TargetRecord(int windowSeconds, Instant now) {
        this(windowSeconds, new State(TargetState.WRITING, Diagnosis.of("STARTED", "started"), now));
    }

    private TargetRecord(int windowSeconds, State state) {
        this.window = new RollingWindow(windowSeconds);
        this.latencies = new Latencies(windowSeconds);
        this.state = state;
    }

    /** A target the buffer keeps values for but no writer has reported since start: its writer is not running. */
    static TargetRecord notRunning(int windowSeconds, Instant now) {
        return new TargetRecord(windowSeconds, new State(TargetState.STOPPED, Diagnosis.of("WRITER_NOT_RUNNING",
                "the buffer keeps values for this target but its writer is not running: check its configuration "
                        + "(io.tagbridge.writer) and that its pool runs"), now));
    }

    void written(int values, long latencyNanos, Commit commit, Instant now) {
        window.written(now.getEpochSecond(), values, latencyNanos);
        latencies.written(commit);
        lastSuccessfulWrite = now;
    }

    void conflicting(int values) {
        conflicting.add(values);
    }

    void replayed(int values, int quarantinedValues) {
        replayed.add(values);
        quarantined.add(quarantinedValues);
    }

    long conflicting() {
        return conflicting.sum();
    }

    long replayed() {
        return replayed.sum();
    }

    long quarantined() {
        return quarantined.sum();
    }

    void failed(Instant now) {
        window.failed(now.getEpochSecond());
    }

    TargetRecord state(TargetState next, Diagnosis why, Instant now) {
        State current = state;
        state = new State(next, why, next == current.state() ? current.since() : now);
        return this;
    }

    State state() {
        return state;
    }

    Instant lastSuccessfulWrite() {
        return lastSuccessfulWrite;
    }

    RollingWindow.Totals recent(Instant now) {
        return window.totals(now.getEpochSecond());
    }

    MetricsSnapshot.Target snapshot(TargetBacklog counters, Instant now, long elapsedSeconds) {
        RollingWindow.Totals t = recent(now);
        TargetBacklog c = counters != null ? counters
                : new TargetBacklog(0, 0, 0, 0, Map.of(), 0, 0, null, null);
        Map<DropReason, Long> dropped = new java.util.EnumMap<>(DropReason.class);
        for (DropReason reason : DropReason.values()) {
            dropped.put(reason, c.dropped().getOrDefault(reason, 0L));
        }
        double age = c.oldestUnsent() == null ? 0
                : Math.max(0, Duration.between(c.oldestUnsent(), now).toMillis() / 1000.0);
        return new MetricsSnapshot.Target(state.state(), c.written(), c.alreadyStored(), c.backedUp(),
                c.droppedTotal(), dropped, conflicting(), replayed(), quarantined(), c.backlog(), c.backlogBytes(), age,
                t.batches(), t.failures(), t.batches() == 0 ? 0 : t.latencyNanos() / 1e6 / t.batches(),
                (double) t.values() / elapsedSeconds, lastSuccessfulWrite, latencies.percentiles(now));
    }

    Latencies latencies() {
        return latencies;
    }
}
