package io.tagbridge.writer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.TargetCursor;
import io.tagbridge.api.sink.TagSink;

/**
 * The writer's thread: takes a batch from its cursor when it is full or the write interval has passed since the
 * last write, delivers it, and settles what became of it.
 *
 * <p>A batch the database did not take and that stays in the journal is given back to the cursor, and the loop
 * waits until the next attempt is due: the same values come again, in the same order, so a target catches up in
 * order per tag.
 *
 * <p>A batch that came full means values wait behind it: the next one takes up to the catch-up batch size, so that
 * a backlog (after an outage, or from values coming faster than batches of the batch size are written) goes in
 * fewer round trips, which is what a database far away is slow at. The first batch that does not come full
 * brings the batch size back.
 *
 * <p>Between live batches it replays the target's backup files, when live values leave room (see
 * {@link Replayer}).
 *
 * <p>A database whose commits are not durable at once (H2) is checkpointed every {@link #CHECKPOINT_EVERY}, and
 * only then are the values it took marked durable in the journal, which may then let them go.
 *
 * <p>When asked to stop with the journal on, it stops: what it has not settled stays in the journal. With the
 * journal off it finishes the batch in hand, then keeps writing what is buffered for a bounded time.
 */
final class WriteLoop implements Runnable {

    static final Duration CHECKPOINT_EVERY = Duration.ofSeconds(2);

    private final TargetSettings settings;
    private final TargetCursor cursor;
    private final Delivery delivery;
    private final TagSink sink;
    private final StopSignal stop;
    private final Replayer replayer;
    private final OutageSummary summary;
    private final Tally tally = new Tally();
    private long lastCheckpoint = System.nanoTime();
    private boolean undurable;

    WriteLoop(TargetSettings settings, TargetCursor cursor, Delivery delivery, TagSink sink, StopSignal stop,
            Replayer replayer, OutageSummary summary) {
        this.settings = settings;
        this.replayer = replayer;
        this.summary = summary;
        this.cursor = cursor;
        this.delivery = delivery;
        this.sink = sink;
        this.stop = stop;
    }

    @Override
    public void run() {
        List<ReceivedValue> batch = new ArrayList<>(settings.batchSize());
        long interval = settings.writeInterval().toNanos();
        int wanted = settings.batchSize();
        delivery.warmUp();
        long lastWrite = System.nanoTime();
        try {
            while (!stop.isStopped()) {
                long wait = Math.min(Math.max(0, lastWrite + interval - System.nanoTime()),
                        replayer.nanosUntilDue());
                cursor.next(batch, wanted, wait, TimeUnit.NANOSECONDS);
                lastWrite = System.nanoTime();
                summary.update(delivery.state(), delivery.reason());
                if (batch.isEmpty()) {
                    if (!replayer.replayIfDue()) {
                        checkpointIfDue(true);
                        delivery.idle();
                    }
                    continue;
                }
                boolean backlog = batch.size() == wanted;
                wanted = backlog ? settings.batchSizeBehind() : settings.batchSize();
                Delivery.Outcome outcome = delivery.deliver(batch, cursor.repeating(), tally);
                batch.clear();
                if (outcome == Delivery.Outcome.SETTLED) {
                    settle();
                    checkpointIfDue(false);
                    if (!backlog) {
                        replayer.replayIfDue();
                    }
                } else if (outcome == Delivery.Outcome.KEPT) {
                    cursor.rewind();
                    tally.clear();
                    delivery.idle();
                    stop.sleep(delivery.untilNextAttempt());
                } else {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!cursor.persistent()) {
            flushBuffered(batch);
        }
        checkpointIfDue(true);
        delivery.close();
    }

    private void settle() {
        boolean durable = !sink.needsMakeDurable() || tally.written + tally.alreadyStored == 0;
        cursor.settle(tally.written, tally.alreadyStored, tally.backedUp, durable);
        undurable |= !durable;
        tally.clear();
    }

    /** Checkpoints the database when values wait to be marked durable and it is time, or {@code now}. */
    private void checkpointIfDue(boolean now) {
        if (!undurable || !now && System.nanoTime() - lastCheckpoint < CHECKPOINT_EVERY.toNanos()) {
            return;
        }
        if (sink.makeDurable()) {
            cursor.durable();
            undurable = false;
            lastCheckpoint = System.nanoTime();
        }
    }

    /** With the journal off: writes what is buffered for up to the stop flush time, one attempt per batch. */
    private void flushBuffered(List<ReceivedValue> batch) {
        long deadline = System.nanoTime() + settings.stopFlush().toNanos();
        try {
            while (System.nanoTime() - deadline < 0
                    && cursor.next(batch, settings.batchSize(), 0, TimeUnit.NANOSECONDS) > 0) {
                Delivery.Outcome outcome = delivery.deliverOnce(batch, cursor.repeating(), tally);
                batch.clear();
                if (outcome != Delivery.Outcome.SETTLED) {
                    return;
                }
                settle();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
