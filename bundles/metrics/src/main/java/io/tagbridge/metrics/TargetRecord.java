package io.tagbridge.metrics;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import io.tagbridge.api.monitor.MetricsSnapshot;
import io.tagbridge.api.pipeline.Diagnosis;
import io.tagbridge.api.pipeline.TargetState;

/** What is known of one target: its state, its counters since start, and its rolling window. */
final class TargetRecord {

    private final RollingWindow window;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong alreadyStored = new AtomicLong();
    private final AtomicLong backedUp = new AtomicLong();
    private volatile State state;
    private volatile Instant lastSuccessfulWrite;

    /** A state with why and since when; replaced whole, so readers see the three together. */
    record State(TargetState state, Diagnosis why, Instant since) {
    }

    TargetRecord(int windowSeconds, Instant now) {
        this.window = new RollingWindow(windowSeconds);
        this.state = new State(TargetState.WRITING, Diagnosis.of("STARTED", "started"), now);
    }

    void written(int values, int stored, long latencyNanos, Instant now) {
        window.written(now.getEpochSecond(), values, latencyNanos);
        written.addAndGet(values - stored);
        alreadyStored.addAndGet(stored);
        lastSuccessfulWrite = now;
    }

    void failed(Instant now) {
        window.failed(now.getEpochSecond());
    }

    void backedUp(int values) {
        backedUp.addAndGet(values);
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

    MetricsSnapshot.Target snapshot(Instant now, long elapsedSeconds) {
        RollingWindow.Totals t = recent(now);
        return new MetricsSnapshot.Target(state.state(), written.get(), alreadyStored.get(), backedUp.get(),
                t.batches(), t.failures(), t.batches() == 0 ? 0 : t.latencyNanos() / 1e6 / t.batches(),
                (double) t.values() / elapsedSeconds, lastSuccessfulWrite);
    }
}
