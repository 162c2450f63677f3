package io.tagbridge.writer;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.pipeline.BackupException;
import io.tagbridge.api.pipeline.BatchBackup;
import io.tagbridge.api.pipeline.ReplayChunk;
import io.tagbridge.api.pipeline.WriteRecorder;
import io.tagbridge.api.sink.TagSink;

/**
 * Replays a target's backup files between its live batches: a chunk of at most a batch at a time, no faster than
 * the replay rate, and only while the target writes. A chunk is reported replayed only once its rows are durable
 * (after a checkpoint on H2), so a file is never let go while a power cut could still take its rows.
 */
final class Replayer {

    /** How often a writer with nothing to replay looks for new files. */
    static final Duration LOOK_EVERY = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(Replayer.class);

    private final TargetSettings settings;
    private final BatchBackup backup;
    private final Delivery delivery;
    private final TagSink sink;
    private final Supplier<WriteRecorder> recorder;
    private final long nanosPerValue;
    private final Tally tally = new Tally();
    private long dueAt = System.nanoTime();
    private String lastFailure;

    Replayer(TargetSettings settings, BatchBackup backup, Delivery delivery, TagSink sink,
            Supplier<WriteRecorder> recorder) {
        this.settings = settings;
        this.backup = backup;
        this.delivery = delivery;
        this.sink = sink;
        this.recorder = recorder;
        this.nanosPerValue = 1_000_000_000L / settings.replayValuesPerSecond();
    }

    /** Nanoseconds until the next chunk is due; 0 when it is due now. */
    long nanosUntilDue() {
        return Math.max(0, dueAt - System.nanoTime());
    }

    /**
     * Replays one chunk when it is due and the target can take it.
     *
     * @return whether a chunk was written
     */
    boolean replayIfDue() {
        if (nanosUntilDue() > 0 || !delivery.canReplay()) {
            return false;
        }
        Optional<ReplayChunk> next;
        try {
            next = backup.nextReplay(settings.name(), settings.batchSize());
        } catch (BackupException e) {
            fail("could not read its backup files: " + e.getMessage());
            return false;
        }
        if (next.isEmpty()) {
            dueAt = System.nanoTime() + LOOK_EVERY.toNanos();
            return false;
        }
        ReplayChunk chunk = next.get();
        tally.clear();
        Delivery.Replay outcome = delivery.replay(chunk, tally);
        if (outcome == Delivery.Replay.NOT_NOW) {
            dueAt = System.nanoTime() + LOOK_EVERY.toNanos();
            return false;
        }
        if (outcome == Delivery.Replay.DONE && (!sink.needsMakeDurable() || sink.makeDurable())) {
            try {
                backup.replayed(chunk);
                recorder.get().replayed(settings.name(), tally.written, tally.alreadyStored, tally.quarantined);
                dueAt = System.nanoTime() + chunk.values().size() * nanosPerValue;
                lastFailure = null;
                return true;
            } catch (BackupException e) {
                fail(e.getMessage());
                return true;
            }
        }
        fail("replaying " + chunk.file() + " stopped; it goes on when the database takes values again");
        return true;
    }

    /** Logged once per kind of failure; replay waits an outage probe interval before it tries again. */
    private void fail(String why) {
        if (!why.equals(lastFailure)) {
            LOG.warn("Writer {}: {}", settings.name(), why);
            lastFailure = why;
        }
        dueAt = System.nanoTime() + settings.outageProbe().toNanos();
    }
}
