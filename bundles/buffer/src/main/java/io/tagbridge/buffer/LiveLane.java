package io.tagbridge.buffer;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

import io.tagbridge.api.pipeline.DropReason;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.TargetCursor;
import io.tagbridge.buffer.journal.Journal;
import io.tagbridge.buffer.journal.Position;

/**
 * A target's live lane: while the target's backlog is older than {@code olderThan}, the values accepted from then
 * on ({@code from} onwards, the split) are handed out here, so that a dashboard sees the present while the past is
 * written. The target's own cursor stops before the split, and once it reaches it takes over what this lane
 * settled as settled (it never hands those values out again) and goes on after them: then the lane has no split
 * until the backlog is old again. The target's position in the ledger stays its own: after a restart the values
 * this lane wrote come again, as every unsettled value does, the duplicate-safe way.
 *
 * <p>Its state is guarded by its target's monitor. A write that fails here is given back ({@link #rewind}): the
 * lane takes no more values until the target's cursor has caught up, and that cursor writes what the lane held,
 * the duplicate-safe way.
 */
final class LiveLane implements TargetCursor {

    /** What the lane needs of its target, whose monitor guards the lane's state as well. */
    interface Owner {
        String target();

        boolean isOpen();

        TagFilter filter();

        /** Where the target's unsettled values begin. */
        Position settledPosition();
    }

    private final Owner target;
    private final Journal journal;
    private final Signals signals;
    private long olderThanMicros;
    /** Where the split is, -1 when there is none: every value from it on is this lane's to hand out. */
    long from = -1;
    private Position read;
    Position settled;
    private final Handouts handouts = new Handouts();
    /** What this lane settled since the target last took its values over. */
    private long written;
    private long alreadyStored;
    long lost;
    boolean allDurable = true;
    /** A write failed and its values were given back: none is handed out until the target has caught up. */
    private boolean stopped;
    /** Values before it that this lane gave back may have been committed: the target takes them as repeating. */
    long givenBackBefore = -1;
    private boolean open;
    private boolean woken;

    LiveLane(Owner target, Journal journal, Signals signals) {
        this.target = target;
        this.journal = journal;
        this.signals = signals;
    }

    /** A writer takes the lane, with the age of backlog at which it splits. Under the target's monitor. */
    void open(Duration olderThan) {
        if (open) {
            throw new IllegalStateException("the live lane of target " + target.target() + " is open already: two "
                    + "writers configured with the same name? Target names must be unique");
        }
        olderThanMicros = TimeUnit.NANOSECONDS.toMicros(olderThan.toNanos());
        open = true;
        woken = false;
    }

    /** Whether values this lane took are with its writer: the target cannot take over until they are settled. */
    boolean holdsValues() {
        return !handouts.isEmpty();
    }

    /** The target takes over what this lane settled: into its counters, and the split moves past it. */
    void addTo(Counters counters) {
        counted(counters);
        from = settled.seq();
        written = 0;
        alreadyStored = 0;
        lost = 0;
        allDurable = true;
    }

    /** Adds what this lane settled and the target has not taken over yet, for the target's status. */
    Counters counted(Counters counters) {
        counters.written += written;
        counters.alreadyStored += alreadyStored;
        counters.drop(DropReason.JOURNAL_DAMAGED, lost);
        return counters;
    }

    /** The target took over everything this lane settled, and holds the place: the split ends. */
    void joined() {
        from = -1;
        read = null;
        settled = null;
        stopped = false;
        givenBackBefore = -1;
    }

    /** Splits when the target's oldest unsettled value is older than the lane's limit. Under the target's monitor. */
    private void splitIfBehind(Position targetSettled) {
        long oldest = journal.receivedAt(targetSettled);
        if (oldest >= 0 && ReceivedValue.micros(Instant.now()) - oldest > olderThanMicros) {
            from = journal.nextSeq();
            read = journal.position(from);
            settled = read.copy();
        }
    }

    @Override
    public String target() {
        return target.target();
    }

    @Override
    public boolean persistent() {
        return journal.persistent();
    }

    @Override
    public int next(Collection<? super ReceivedValue> sink, int max, long timeout, TimeUnit unit)
            throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        int n = 0;
        Position end = null;
        while (true) {
            long wantSeq;
            synchronized (target) {
                if (!open) {
                    break;
                }
                // the target's cursor closed: its writer stops, and so does this lane's
                boolean reading = !stopped && target.isOpen();
                if (from < 0 && reading) {
                    splitIfBehind(target.settledPosition());
                }
                if (from >= 0 && reading) {
                    TagFilter filter = target.filter();
                    int got = journal.read(read, sink, max - n, filter.takesAll() ? null : filter);
                    lost += read.takeLost();
                    n += got;
                    if (got > 0) {
                        end = read.copy();
                    }
                }
                if (n >= max || woken) {
                    woken = false;
                    break;
                }
                wantSeq = from >= 0 && reading ? read.seq() + (max - n) : Long.MAX_VALUE;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            signals.awaitValues(wantSeq, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
        }
        if (n > 0) {
            synchronized (target) {
                handouts.add(n, end);
            }
        }
        return n;
    }

    /** Values this lane hands out were never handed out before: they were accepted after the split. */
    @Override
    public boolean repeating() {
        return false;
    }

    @Override
    public void settle(int written, int alreadyStored, int backedUp, boolean durable) {
        if (backedUp != 0) {
            throw new IllegalArgumentException("the live lane of target " + target.target() + " backs nothing up: a "
                    + "batch it cannot write whole is given back with rewind()");
        }
        int total = written + alreadyStored;
        synchronized (target) {
            if (!open) {
                // closed while the batch was written: it was given back, and the target's cursor finds it stored
                return;
            }
            Position last = handouts.settle(total, "the live lane of target " + target.target());
            if (last != null && from >= 0) {
                settled = last.copy();
                this.written += written;
                this.alreadyStored += alreadyStored;
                allDurable &= durable;
            }
        }
        signals.wakeReaders();
    }

    /** The target's own cursor says when settled values are durable; this lane's are taken over by it. */
    @Override
    public void durable() {
        // nothing of its own to mark: the ledger keeps the target's position only
    }

    /** Gives back what this lane took and did not settle: the target's cursor writes it, the duplicate-safe way. */
    @Override
    public void rewind() {
        synchronized (target) {
            giveBack();
        }
        signals.wakeReaders();
    }

    private void giveBack() {
        if (from >= 0) {
            givenBackBefore = Math.max(givenBackBefore, read.seq());
            read = settled.copy();
            stopped = true;
        }
        handouts.clear();
    }

    @Override
    public void wake() {
        synchronized (target) {
            woken = true;
        }
        signals.wakeReaders();
    }

    @Override
    public void close() {
        synchronized (target) {
            giveBack();
            open = false;
        }
        signals.wakeReaders();
    }
}
