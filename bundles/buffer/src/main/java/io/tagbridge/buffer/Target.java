package io.tagbridge.buffer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.tagbridge.api.pipeline.BackupException;
import io.tagbridge.api.pipeline.DropReason;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.TargetBacklog;
import io.tagbridge.api.pipeline.TargetCursor;
import io.tagbridge.buffer.journal.Journal;
import io.tagbridge.buffer.journal.Position;

/**
 * One target's place in the journal, and its counters. Three positions, never out of order: values before
 * {@code durable} are settled for good (a crash does not bring them back), values before {@code settled} are
 * settled (written, already stored, backed up or dropped), and values from {@code settled} to {@code read} are
 * handed out to the writer and not yet settled.
 *
 * <p>Its state is guarded by its own monitor. The spiller takes values only while none are handed out; a writer
 * asking for more meanwhile waits for it. With a {@link LiveLane} split, this cursor stops at the split.
 */
final class Target implements TargetCursor, LiveLane.Owner {

    final String name;
    private final Journal journal;
    private final Signals signals;
    private volatile TagFilter filter;
    private Position durable;
    private Position settled;
    private Position read;
    private Counters counters;
    private Counters durableCounters;
    private final Handouts handouts = new Handouts();
    private boolean open;
    private boolean woken;
    private boolean spilling;
    private long deletedAtMillis = -1;
    /** Values before it may have been handed out before: by this cursor, an earlier one, or before a restart. */
    private long handedOutBefore;
    private boolean repeating;
    /** Values accepted that this target takes; guarded by the buffer's door lock. */
    long routed;
    /** A new target not yet written into the ledger: no value is routed to it; guarded by the door lock. */
    volatile boolean recording;
    /** Its live lane, once a writer asked for one; it keeps what it settled until this cursor takes it over. */
    private LiveLane live;
    /** How long its values are kept once accepted; null: however long. */
    volatile Retain retain;

    /**
     * @param handedOutBefore values before this sequence number may have been handed out before: at a restart, all
     *                        the journal holds
     */
    Target(Journal journal, Signals signals, String name, TagFilter filter, Position start,
            Counters counters, long handedOutBefore) {
        this.journal = journal;
        this.signals = signals;
        this.name = name;
        this.filter = filter;
        startAt(start, handedOutBefore);
        this.counters = counters.copy();
        this.durableCounters = counters.copy();
    }

    @Override
    public TagFilter filter() {
        return filter;
    }

    /** Where a new target starts, once the ledger knows it. */
    synchronized void startAt(Position start, long handedOutBefore) {
        this.durable = start.copy();
        this.settled = start.copy();
        this.read = start.copy();
        this.handedOutBefore = handedOutBefore;
    }

    synchronized void reopen(TagFilter newFilter) {
        if (open) {
            throw new IllegalStateException("the cursor of target " + name + " is open already: two writers "
                    + "configured with the same name? Target names must be unique");
        }
        filter = newFilter;
        open = true;
        woken = false;
        deletedAtMillis = -1;
        handedOutBefore = Math.max(handedOutBefore, read.seq());
        read = settled.copy();
    }

    /** Its configuration exists (again), with this filter; an open cursor keeps the filter it was opened with. */
    synchronized void expected(TagFilter newFilter) {
        deletedAtMillis = -1;
        if (!open) {
            filter = newFilter;
        }
    }

    @Override
    public synchronized boolean isOpen() {
        return open;
    }

    @Override
    public String target() {
        return name;
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
            synchronized (this) {
                while (spilling && open) {
                    wait(100);
                }
                if (!open) {
                    break;
                }
                takeOverLive();
                if (n == 0) {
                    repeating = read.seq() < handedOutBefore;
                }
                long until = splitAt();
                TagFilter current = filter;
                int got = journal.readUntil(read, sink, max - n, current.takesAll() ? null : current, until);
                counters.drop(DropReason.JOURNAL_DAMAGED, read.takeLost());
                n += got;
                if (got > 0) {
                    end = read.copy();
                }
                if (n >= max || woken) {
                    woken = false;
                    break;
                }
                // at the live lane's values, they are taken over once it settles them, and it wakes readers then
                wantSeq = read.seq() < until ? read.seq() + (max - n) : Long.MAX_VALUE;
                if (wantSeq == Long.MAX_VALUE && n > 0) {
                    break;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            signals.awaitValues(wantSeq, left);
        }
        if (n > 0) {
            synchronized (this) {
                handouts.add(n, end);
            }
        }
        return n;
    }

    /** Where this cursor stops: the live lane's split, or nowhere. Under the monitor. */
    private long splitAt() {
        return live == null || live.from < 0 ? Long.MAX_VALUE : live.from;
    }

    /** At the live lane's split with nothing handed out: takes over what it settled, and ends the split if it can. */
    private void takeOverLive() {
        if (live == null || live.from < 0 || read.seq() < live.from || !handouts.isEmpty()) {
            return;
        }
        boolean wasDurable = durable.seq() == settled.seq();
        boolean laneDurable = live.allDurable;
        settled = live.settled.copy();
        read = settled.copy();
        live.addTo(counters);
        if (!live.holdsValues()) {
            handedOutBefore = Math.max(handedOutBefore, live.givenBackBefore);
            live.joined();
        }
        if (wasDurable && laneDurable) {
            markDurable();
        }
    }

    @Override
    public synchronized TargetCursor live(Duration olderThan) {
        if (live == null) {
            live = new LiveLane(this, journal, signals);
        }
        live.open(olderThan);
        return live;
    }

    @Override
    public void expireAfter(Duration maxAge, boolean archive) {
        retain = maxAge == null ? null : new Retain(maxAge, archive);
    }

    @Override
    public Position settledPosition() {
        return settled;
    }

    @Override
    public synchronized boolean repeating() {
        return repeating;
    }

    @Override
    public void settle(int written, int alreadyStored, int backedUp, boolean isDurable) {
        int total = written + alreadyStored + backedUp;
        synchronized (this) {
            if (!open) {
                return;
            }
            Position last = handouts.settle(total, "target " + name);
            if (last != null) {
                settled = last.copy();
            }
            counters.written += written;
            counters.alreadyStored += alreadyStored;
            counters.backedUp += backedUp;
            if (isDurable) {
                markDurable();
            }
            notifyAll();
        }
        signals.settledSomething();
    }

    @Override
    public void durable() {
        synchronized (this) {
            markDurable();
        }
        signals.settledSomething();
    }

    private void markDurable() {
        durable = settled.copy();
        durableCounters = counters.copy();
    }

    @Override
    public synchronized void rewind() {
        handedOutBefore = Math.max(handedOutBefore, read.seq());
        handouts.clear();
        read = settled.copy();
    }

    @Override
    public void wake() {
        synchronized (this) {
            woken = true;
        }
        signals.wakeReaders();
    }

    @Override
    public void close() {
        synchronized (this) {
            open = false;
            handedOutBefore = Math.max(handedOutBefore, read.seq());
            handouts.clear();
            read = settled.copy();
            notifyAll();
        }
        signals.wakeReaders();
    }

    synchronized void markDeleted(long atMillis) {
        if (deletedAtMillis < 0) {
            deletedAtMillis = atMillis;
        }
    }

    synchronized long deletedAtMillis() {
        return deletedAtMillis;
    }

    /** Where this target needs the journal kept from: its durable position (or settled, for a journal in memory). */
    synchronized long neededFrom(boolean persistent) {
        return persistent ? durable.seq() : settled.seq();
    }

    /** The journal bytes from this target's durable position on: what it keeps the journal from giving up. */
    synchronized long bytesNeeded() {
        return journal.bytesFrom(durable);
    }

    synchronized long settledSeq() {
        return settled.seq();
    }

    /**
     * Takes up to {@code max} of the oldest unsettled values, up to sequence {@code until}, away from the writer and
     * gives them to {@code taker}: a spill to backup files, or a drop. Waits for the writer to settle what it holds,
     * at most {@code waitMillis}. The taker runs under this target's monitor, so the writer waits meanwhile.
     *
     * @return how many values were taken, -1 when the writer did not let go in time
     */
    int takeOldest(int max, long until, long waitMillis, Taker taker) throws InterruptedException, BackupException {
        synchronized (this) {
            spilling = true;
            try {
                long deadline = System.currentTimeMillis() + waitMillis;
                while (!handouts.isEmpty()) {
                    long left = deadline - System.currentTimeMillis();
                    if (left <= 0) {
                        return -1;
                    }
                    wait(Math.min(left, 100));
                }
                takeOverLive();
                Position from = settled.copy();
                List<ReceivedValue> values = new ArrayList<>();
                TagFilter current = filter;
                journal.readUntil(from, values, max, current.takesAll() ? null : current,
                        Math.min(until, splitAt()));
                long lost = from.takeLost();
                if (values.isEmpty() && lost == 0 && from.seq() == settled.seq()) {
                    return 0;
                }
                DropReason dropped = taker.take(name, values);
                boolean wasDurable = durable.seq() == settled.seq();
                settled = from.copy();
                read = from.copy();
                if (dropped == null) {
                    counters.backedUp += values.size();
                } else {
                    counters.drop(dropped, values.size());
                }
                counters.drop(DropReason.JOURNAL_DAMAGED, lost);
                if (wasDurable) {
                    markDurable();
                }
                return values.size();
            } finally {
                spilling = false;
                notifyAll();
            }
        }
    }

    /** Drops everything unsettled, as when the target is released; returns how many values that was. */
    synchronized long dropAll(DropReason reason) {
        takeOverLive();
        long backlog = Math.max(0, routed - counters.settled());
        counters.drop(reason, backlog);
        markDurable();
        return backlog;
    }

    /** The state the ledger keeps: the durable position and the counters that go with it. */
    synchronized LedgerTarget ledgerEntry() {
        LedgerTarget entry = new LedgerTarget(name, filter.globs(), durable.seq(), durableCounters.copy(),
                deletedAtMillis);
        return live == null || live.from < 0 ? entry : entry.withLive(live.from, live.settled.seq());
    }

    /** Counters and backlog for status. {@code routed} is read by the caller under the door lock. */
    synchronized TargetBacklog backlog(long routedNow) {
        Counters shown = live == null ? counters : live.counted(counters.copy());
        long backlog = Math.max(0, routedNow - shown.settled());
        long oldest = backlog == 0 ? -1 : journal.receivedAt(settled);
        Instant oldestUnsent = oldest < 0 ? null : ReceivedValue.instant(oldest);
        return new TargetBacklog(routedNow, shown.written, shown.alreadyStored, shown.backedUp,
                shown.droppedByReason(), backlog, backlog == 0 ? 0 : journal.bytesFrom(settled),
                oldestUnsent, deletedAtMillis < 0 ? null : Instant.ofEpochMilli(deletedAtMillis));
    }

    /** Reads this target's unsettled values, for a journal in memory that stops: they go to backup. */
    synchronized void forEachUnsettled(int chunk, Consumer<List<ReceivedValue>> each) {
        Position from = settled.copy();
        TagFilter current = filter;
        long until = splitAt();
        while (true) {
            List<ReceivedValue> values = new ArrayList<>();
            if (journal.readUntil(from, values, chunk, current.takesAll() ? null : current, until) > 0) {
                each.accept(values);
            } else if (until == Long.MAX_VALUE) {
                return;
            } else {
                // what the live lane settled is written: not backed up as well
                from = live.settled.copy();
                until = Long.MAX_VALUE;
            }
        }
    }
}
