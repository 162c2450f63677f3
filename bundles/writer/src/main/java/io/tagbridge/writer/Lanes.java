package io.tagbridge.writer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.sink.FailureKind;
import io.tagbridge.api.sink.TagSink;
import io.tagbridge.api.sink.WriteResult;

/**
 * Writes a large batch through several connections at once: the sink's own and up to {@code writeConnections - 1}
 * lanes. Over a network each batch costs round trips whatever its size, and one connection waits for each; several
 * keep the link busy.
 *
 * <p>The batch is split by tag ({@link BatchParts#byTag}) and the write returns once every part is committed, before the
 * next batch starts: a tag's rows commit in acceptance order, and the buffer settles whole batches only, so its
 * ledger never passes a part that is not committed. Should a part fail on a lane while the sink's own connection
 * succeeded, the part is written again at once through the sink's own connection, so a lane that lost its
 * connection costs time, never a failed batch. Should the sink's own part fail, the write fails with its error
 * while other parts may be committed: {@link #partlyStored()} says so, and the batch is written again the
 * duplicate-safe way, where the committed parts count as stored already.
 *
 * <p>Lanes are opened aside, on a lane thread, so a pool with no connection to spare delays nothing: the target
 * writes with what it has and asks again after {@link #OPEN_AGAIN_AFTER}. They are closed when the writer is idle
 * and once batches are too small to split: no values wait behind any more.
 * Only batches of at least two {@link #MIN_PART}s are split: smaller ones gain nothing from a second connection.
 */
final class Lanes {

    static final int MIN_PART = 500;
    static final Duration OPEN_AGAIN_AFTER = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(Lanes.class);

    private final String target;
    private final TagSink sink;
    private final int connections;
    private final List<TagSink.Lane> open = new ArrayList<>();
    private ExecutorService threads;
    private Future<TagSink.Lane> opening;
    private long openAgainAt;
    private boolean sinkHasNoLanes;
    private boolean partlyStored;

    Lanes(String target, TagSink sink, int connections) {
        this.target = target;
        this.sink = sink;
        this.connections = connections;
    }

    /** Writes and commits the batch, as {@link TagSink#write} does, through as many connections as it helps. */
    WriteResult write(List<ReceivedValue> batch, boolean mayBeStored) throws Exception {
        int wanted = Math.min(connections, batch.size() / MIN_PART);
        if (wanted < 2) {
            // No values wait behind any more: the lanes' connections go back for other targets to use.
            release();
            return sink.write(batch, mayBeStored);
        }
        collectOpened();
        if (open.size() + 1 < wanted) {
            openAnother();
        }
        List<List<ReceivedValue>> parts = BatchParts.byTag(batch, Math.min(wanted, open.size() + 1));
        if (parts.size() < 2) {
            return sink.write(batch, mayBeStored);
        }
        return writeParts(parts, mayBeStored);
    }

    /** A new batch comes: {@link #partlyStored()} speaks of its writes only. */
    void newBatch() {
        partlyStored = false;
    }

    /** Whether a write of this batch failed with parts of it committed. */
    boolean partlyStored() {
        return partlyStored;
    }

    private WriteResult writeParts(List<List<ReceivedValue>> parts, boolean mayBeStored) throws Exception {
        List<TagSink.Lane> lanes = List.copyOf(open.subList(0, parts.size() - 1));
        List<Future<WriteResult>> onLanes = new ArrayList<>();
        for (int i = 0; i < lanes.size(); i++) {
            TagSink.Lane lane = lanes.get(i);
            List<ReceivedValue> part = parts.get(i + 1);
            onLanes.add(threads().submit(() -> lane.write(part, mayBeStored)));
        }
        List<WriteResult> results = new ArrayList<>();
        List<ReceivedValue> again = new ArrayList<>();
        Exception own = null;
        Exception laneFailure = null;
        try {
            results.add(sink.write(parts.get(0), mayBeStored));
        } catch (Exception e) {
            own = e;
        } finally {
            // Whatever became of the own part, no lane may still write when this returns: the next attempt
            // would write the same tags beside it.
            for (int i = 0; i < lanes.size(); i++) {
                try {
                    results.add(awaitUninterruptibly(onLanes.get(i)));
                } catch (ExecutionException e) {
                    laneFailure = e.getCause() instanceof Exception cause ? cause : e;
                    if (sink.classify(laneFailure).kind() == FailureKind.TRANSIENT) {
                        drop(lanes.get(i), laneFailure);
                    }
                    again.addAll(parts.get(i + 1));
                }
            }
        }
        if (own != null) {
            // A lane that failed may have committed with its answer lost, as much as one that succeeded.
            partlyStored = !lanes.isEmpty();
            if (laneFailure != null) {
                own.addSuppressed(laneFailure);
            }
            throw own;
        }
        if (!again.isEmpty()) {
            try {
                results.add(sink.write(again, true));
            } catch (Exception e) {
                partlyStored = true;
                throw e;
            }
        }
        return merged(results);
    }

    private static <T> T awaitUninterruptibly(Future<T> future) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static WriteResult merged(List<WriteResult> results) {
        int written = 0;
        int alreadyStored = 0;
        int conflicting = 0;
        List<ReceivedValue> toBackUp = new ArrayList<>();
        String conflicts = null;
        for (WriteResult r : results) {
            written += r.written();
            alreadyStored += r.alreadyStored();
            conflicting += r.conflicting();
            toBackUp.addAll(r.toBackUp());
            conflicts = conflicts != null ? conflicts : r.conflicts();
        }
        return new WriteResult(written, alreadyStored, conflicting, toBackUp, conflicts);
    }

    private void collectOpened() {
        if (opening == null || !opening.isDone()) {
            return;
        }
        try {
            TagSink.Lane lane = opening.get();
            if (lane != null) {
                open.add(lane);
            } else {
                sinkHasNoLanes = true;
            }
        } catch (ExecutionException e) {
            openAgainAt = System.nanoTime() + OPEN_AGAIN_AFTER.toNanos();
            LOG.info("Writer {}: writes through {} connections for now; another could not be opened and is asked "
                    + "for again in {} s: {}", target, open.size() + 1, OPEN_AGAIN_AFTER.toSeconds(),
                    e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        opening = null;
    }

    private void openAnother() {
        if (sinkHasNoLanes || opening != null || openAgainAt != 0 && System.nanoTime() - openAgainAt < 0) {
            return;
        }
        openAgainAt = 0;
        opening = threads().submit(sink::openLane);
    }

    private void drop(TagSink.Lane lane, Exception why) {
        open.remove(lane);
        LOG.info("Writer {}: a part failed on one of its connections ({}); it is written through the target's own "
                + "connection and that connection is given up", target, why.toString());
        closeQuietly(lane);
    }

    /** Closes the lanes: the writer is idle or stops. A lane still opening is closed once it is open. */
    void release() {
        open.forEach(Lanes::closeQuietly);
        open.clear();
        if (opening != null) {
            Future<TagSink.Lane> late = opening;
            opening = null;
            CompletableFuture.runAsync(() -> {
                try {
                    closeQuietly(late.get());
                } catch (ExecutionException e) {
                    // It never opened: nothing to give back.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, threads());
        }
    }

    /** The writer stops: lanes closed, lane threads end once their calls return (a sink call is never interrupted). */
    void close() {
        release();
        if (threads != null) {
            threads.shutdown();
        }
    }

    private ExecutorService threads() {
        if (threads == null || threads.isShutdown()) {
            AtomicInteger count = new AtomicInteger();
            threads = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "tagbridge-writer-" + target + "-lane-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return threads;
    }

    private static void closeQuietly(TagSink.Lane lane) {
        if (lane == null) {
            return;
        }
        try {
            lane.close();
        } catch (RuntimeException e) {
            LOG.debug("Closing a lane failed; its connection is the pool's to replace", e);
        }
    }
}
