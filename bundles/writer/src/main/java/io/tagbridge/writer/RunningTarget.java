package io.tagbridge.writer;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.pipeline.BatchBackup;
import io.tagbridge.api.pipeline.Diagnosis;
import io.tagbridge.api.pipeline.TagBuffer;
import io.tagbridge.api.pipeline.TargetBacklog;
import io.tagbridge.api.pipeline.TargetCursor;
import io.tagbridge.api.pipeline.TargetState;
import io.tagbridge.api.pipeline.WriteRecorder;
import io.tagbridge.api.sink.OutageMode;
import io.tagbridge.api.sink.TagSink;

/**
 * One target while its sink is registered: its place in the buffer and the thread that drains it into the sink.
 *
 * <p>With the journal on it stops at once and goes on (or its successor does) from its place in the journal; with
 * the journal off it first finishes and flushes, and what is still buffered is picked up after.
 */
final class RunningTarget {

    private static final Logger LOG = LoggerFactory.getLogger(RunningTarget.class);

    /**
     * A batch's retries stop once the buffer is this full; half leaves room for the batches that follow to reach
     * the backup before the buffer refuses values.
     */
    static final double RETRY_UNTIL_FILL_PERCENT = 50;

    /** With the journal on, a stop does not wait for a hung sink: what is unsettled stays in the journal. */
    static final long JOURNAL_STOP_MILLIS = 2_000;

    private final String name;
    private final StopSignal stop;
    private final TargetCursor cursor;
    private final Thread thread;
    /** The live writer (liveFirst), or null. */
    private final Thread liveThread;
    private final TargetCursor live;
    private final long joinMillis;

    private RunningTarget(String name, StopSignal stop, TargetCursor cursor, Thread thread, TargetCursor live,
            Thread liveThread, long joinMillis) {
        this.name = name;
        this.stop = stop;
        this.cursor = cursor;
        this.thread = thread;
        this.live = live;
        this.liveThread = liveThread;
        this.joinMillis = joinMillis;
    }

    /** Starts writing to the sink; returns null when the buffer refuses its name, after telling health why. */
    static RunningTarget start(TagSink sink, TargetSettings settings, TagBuffer buffer, BatchBackup backup,
            Supplier<WriteRecorder> recorder) {
        String name = settings.name();
        TargetCursor cursor;
        try {
            cursor = buffer.open(name, settings.tagFilter());
        } catch (IllegalStateException e) {
            LOG.error("Writer {}: {}", name, e.getMessage());
            recorder.get().state(name, TargetState.MISCONFIGURED, Diagnosis.of("NAME_NOT_UNIQUE", e.getMessage()));
            return null;
        }
        boolean keep = cursor.persistent() && settings.outageMode() == OutageMode.KEEP;
        long joinMillis = cursor.persistent() ? JOURNAL_STOP_MILLIS
                : settings.stopFlush().toMillis() + TimeUnit.SECONDS.toMillis(30);
        StopSignal stop = new StopSignal();
        Delivery delivery = new Delivery(settings, sink, backup, recorder, stop, keep,
                () -> buffer.status().fillPercent() >= RETRY_UNTIL_FILL_PERCENT);
        Replayer replayer = new Replayer(settings, backup, delivery, sink, recorder);
        OutageSummary summary = new OutageSummary(name, () -> {
            TargetBacklog backlog = buffer.status().targets().get(name);
            return backlog == null ? 0 : backlog.backlog();
        }, keep);
        Thread thread = new Thread(new Lifeline(name, () -> new WriteLoop(settings, cursor, delivery, sink, stop,
                replayer, summary), cursor, delivery, stop), "tagbridge-writer-" + name);
        thread.setDaemon(true);
        thread.start();
        cursor.expireAfter(settings.expiry().maxAge(), settings.expiry().archive());
        TargetCursor live = settings.liveFirst().on() ? cursor.live(settings.liveFirst().after()) : null;
        Thread liveThread = null;
        if (live != null) {
            liveThread = new Thread(new LiveWriter(settings, live, sink, stop, recorder), "tagbridge-live-" + name);
            liveThread.setDaemon(true);
            liveThread.start();
        } else if (settings.liveFirst().on()) {
            LOG.warn("Writer {}: liveFirst is set, but the buffer has no live lane: values are written in order",
                    name);
        }
        recorder.get().state(name, TargetState.WRITING, Diagnosis.of("STARTED", "started, writing to "
                + sink.destination()));
        LOG.info("Writer {} started: to {}, batches of {} (up to {} while values wait behind, through up to {} "
                + "connections) or every {} ms, {} retries, {}{}{}", name, sink.destination(), settings.batchSize(),
                settings.batchSizeBehind(), settings.writeConnections(),
                settings.writeInterval().toMillis(), settings.retryMax(),
                keep ? "outages wait in the journal" : "outages go to backup files",
                settings.tagFilter().isEmpty() ? "" : ", tags " + String.join(",", settings.tagFilter()),
                live == null ? "" : ", live values first once the backlog is older than "
                        + settings.liveFirst().after().toMillis() / 1000.0 + " s");
        return new RunningTarget(name, stop, cursor, thread, live, liveThread, joinMillis);
    }

    /** Stops the thread, leaves the cursor's place in the buffer, and tells health why. */
    void stop(Diagnosis why, Supplier<WriteRecorder> recorder) {
        stop.stop();
        cursor.wake();
        if (live != null) {
            live.wake();
        }
        try {
            thread.join(joinMillis);
            if (liveThread != null) {
                liveThread.join(joinMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.error("Writer {} did not stop within {} ms: a write hangs. {}", name, joinMillis,
                    cursor.persistent() ? "What it has not written stays in the journal"
                            : "Its batch stays with the hanging call; check the pool's read timeout");
        }
        if (live != null) {
            live.close();
        }
        cursor.close();
        recorder.get().state(name, TargetState.STOPPED, why);
    }

    String name() {
        return name;
    }
}
