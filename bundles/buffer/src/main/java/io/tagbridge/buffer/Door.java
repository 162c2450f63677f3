package io.tagbridge.buffer;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.IngestResult;
import io.tagbridge.api.RefusalReason;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.DropReason;
import io.tagbridge.api.pipeline.TargetBacklog;
import io.tagbridge.buffer.journal.Journal;

/**
 * The buffer's door and the targets behind it: it routes each offer to the targets whose filter takes its tags,
 * appends it to the journal, and counts every value offered, accepted and refused. One lock orders appending,
 * routing and counting, so that a ledger taken under it counts each value exactly once.
 */
final class Door {

    private static final Logger LOG = LoggerFactory.getLogger(Door.class);

    private final Journal journal;
    private final Signals signals;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Target> targets = new ConcurrentHashMap<>();
    private volatile Target[] routing = new Target[0];
    /**
     * The last counters of targets released after their configuration was deleted, so that what became of their
     * values (dropped as TARGET_DELETED, among others) stays in the metrics until the next start. A target
     * configured again under the same name shows its own counters instead.
     */
    private final Map<String, TargetBacklog> released = new ConcurrentHashMap<>();
    private final DoorCounters counters = new DoorCounters();
    private final ClockJumps jumps;
    private Deadband deadband = new Deadband(DeadbandSettings.OFF);
    /** When the door was closed for a change of storage (System.nanoTime), or 0 while it is open. */
    private volatile long closedAt;
    private boolean stopped;

    /**
     * What an offer came to at the door: refused, turned away for want of room, or in up to a sequence number, but
     * for the values the deadband filtered.
     */
    record Entry(IngestResult refusal, boolean full, long upTo, int filtered) {

        static final Entry FULL = new Entry(null, true, -1, 0);

        static Entry refused(IngestResult refusal) {
            return new Entry(refusal, false, -1, 0);
        }
    }

    /** A target found by name, and whether it was added just now (and so takes no value until it is recorded). */
    record Found(Target target, boolean isNew) {
    }

    Door(Journal journal, Signals signals, ClockJumps jumps) {
        this.journal = journal;
        this.signals = signals;
        this.jumps = jumps;
    }

    /**
     * Appends the values for the targets that take them, but those the deadband filters, or says why not. With the
     * journal in memory, room is counted in values against {@code capacity}.
     */
    Entry enter(List<TagValue> values, long receivedMicros, long receivedNanos, long capacity, DeadbandSettings band)
            throws IOException {
        int n = values.size();
        long[] seq = new long[1];
        lock.lock();
        try {
            if (stopped) {
                return Entry.refused(refuse(n, RefusalReason.STOPPING, "the buffer is stopping; offer the values "
                        + "again once Tagbridge is running"));
            }
            if (closedAt != 0) {
                return Entry.refused(refuse(n, RefusalReason.STOPPING, "the buffer is changing where it keeps "
                        + "values (the journal is moved or switched off) and takes values again within seconds; "
                        + "offer them again then"));
            }
            jumps.observe(receivedMicros, receivedNanos, journal.nextSeq());
            IngestResult unrouted = Routes.unrouted(routing, values);
            if (unrouted != null) {
                return Entry.refused(refuse(unrouted));
            }
            if (!deadband.settings().equals(band)) {
                deadband = new Deadband(band);
            }
            Deadband.Sifted sifted = deadband.sift(values);
            List<TagValue> kept = sifted.kept();
            if (kept.isEmpty()) {
                counters.accept(0, sifted.filtered());
                deadband.remember(sifted);
                // answered once what came before is on disk: the tags' last stored values stand for these
                return new Entry(null, false, journal.nextSeq(), sifted.filtered());
            }
            Journal.Appended appended = memoryFull(kept.size(), capacity) ? Journal.Appended.FULL
                    : journal.append(kept, receivedMicros, seq);
            return switch (appended) {
                case OK -> {
                    counters.accept(kept.size(), sifted.filtered());
                    deadband.remember(sifted);
                    Routes.count(routing, kept);
                    yield new Entry(null, false, seq[0] + kept.size(), sifted.filtered());
                }
                case TOO_LARGE -> Entry.refused(refuse(n, RefusalReason.TOO_LARGE, n + " values at once are more "
                        + "than a journal segment holds (" + journal.maxRecordBytes() + " bytes); offer fewer at a "
                        + "time"));
                case UNENCODABLE -> Entry.refused(refuse(n, RefusalReason.INVALID, "a decimal value has more than "
                        + "65535 digits and cannot be stored"));
                default -> Entry.FULL;
            };
        } finally {
            lock.unlock();
        }
    }

    private boolean memoryFull(int n, long capacity) {
        return !journal.persistent() && journal.nextSeq() - oldestNeeded() + n > capacity;
    }

    IngestResult refuse(int n, RefusalReason reason, String why) {
        return refuse(IngestResult.refused(n, reason, why));
    }

    IngestResult refuse(IngestResult refusal) {
        lock.lock();
        try {
            counters.refuse(refusal);
        } finally {
            lock.unlock();
        }
        counters.lastRefusal = refusal.reason();
        return refusal;
    }

    /** What health shows as the last refusal: also room made by dropping values, which refuses none. */
    void noteLastRefusal(String why) {
        counters.lastRefusal = why;
    }

    /** The counts the ledger restored. */
    void restoreCounts(Ledger ledger) {
        counters.restore(ledger.offered(), ledger.accepted(), ledger.filtered(), ledger.refused());
        jumps.restore(ledger.jumps());
    }

    /** A look at the clock between offers, so that a jump while none comes is seen too; returns the jumps seen. */
    ClockJumps observeClock(long nowMicros) {
        lock.lock();
        try {
            jumps.observe(nowMicros, journal.nextSeq());
            return jumps;
        } finally {
            lock.unlock();
        }
    }

    /** Values found in the journal beyond the ledger: they had been accepted. */
    void countRecovered(long values) {
        counters.recovered(values);
    }

    /** A target restored from the ledger; routing is rebuilt by {@link #restored()} once all are in. */
    void restore(Target target) {
        targets.put(target.name, target);
    }

    void restored() {
        rebuildRouting();
    }

    Target get(String name) {
        return targets.get(name);
    }

    Collection<Target> all() {
        return targets.values();
    }

    /** The targets values are routed to: every known one but those still being written into the ledger. */
    Target[] routing() {
        return routing;
    }

    /** The target of this name; a new one is added, and takes no value until {@link #startRecorded}. */
    Found findOrAdd(String name, TagFilter filter) {
        lock.lock();
        try {
            Target target = targets.get(name);
            if (target != null) {
                return new Found(target, false);
            }
            target = new Target(journal, signals, name, filter, journal.position(journal.nextSeq()), new Counters(),
                    journal.nextSeq());
            target.recording = true;
            targets.put(name, target);
            released.remove(name);
            return new Found(target, true);
        } finally {
            lock.unlock();
        }
    }

    /** A new target the ledger on disk now knows: values are routed to it from here on. */
    void startRecorded(Target target, boolean atOldest) {
        lock.lock();
        try {
            long start = atOldest ? journal.firstSeq() : journal.nextSeq();
            target.startAt(journal.position(start), atOldest ? journal.nextSeq() : start);
            target.routed = atOldest ? journal.nextSeq() - journal.firstSeq() : 0;
            target.recording = false;
            rebuildRouting();
        } finally {
            lock.unlock();
        }
    }

    void reopen(Target target, TagFilter filter) {
        lock.lock();
        try {
            target.reopen(filter);
            rebuildRouting();
        } finally {
            lock.unlock();
        }
    }

    void expected(Target target, TagFilter filter) {
        lock.lock();
        try {
            target.expected(filter);
            rebuildRouting();
        } finally {
            lock.unlock();
        }
    }

    private void rebuildRouting() {
        routing = targets.values().stream().filter(t -> !t.recording).toArray(Target[]::new);
    }

    /** Releases the targets deleted at least {@code after} ago whose cursor is closed; their values are dropped. */
    void releaseDeleted(long nowMillis, Duration after) {
        for (Target t : targets.values()) {
            long deletedAt = t.deletedAtMillis();
            if (deletedAt >= 0 && nowMillis - deletedAt >= after.toMillis() && !t.isOpen()) {
                lock.lock();
                try {
                    long dropped = t.dropAll(DropReason.TARGET_DELETED);
                    targets.remove(t.name);
                    released.put(t.name, t.backlog(t.routed));
                    rebuildRouting();
                    LOG.warn("Target {} released {} after its configuration was deleted: its {} unsent values are "
                            + "counted as dropped", t.name, after, dropped);
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** The oldest sequence number a target still needs; the journal's end when none needs any. */
    long oldestNeeded() {
        boolean persistent = journal.persistent();
        long oldest = journal.nextSeq();
        for (Target t : routing) {
            oldest = Math.min(oldest, t.neededFrom(persistent));
        }
        return oldest;
    }

    /** From now on, values are refused until {@link #reopenAfterChange()}: the storage is about to change. */
    void closeForChange() {
        lock.lock();
        try {
            if (closedAt == 0) {
                closedAt = System.nanoTime();
            }
        } finally {
            lock.unlock();
        }
    }

    void reopenAfterChange() {
        closedAt = 0;
    }

    /** When the door was closed for a change of storage (System.nanoTime), or 0 while it is open. */
    long closedAt() {
        return closedAt;
    }

    /** Refuses every value from now on; false if it did already. */
    boolean stop() {
        lock.lock();
        try {
            boolean wasOpen = !stopped;
            stopped = true;
            return wasOpen;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The ledger as of now: the counts, and every target's durable position. A target being recorded is kept as if
     * it started at the head ({@code atOldest}: at the journal's oldest value); values after it are routed to it
     * at a restart from this ledger, and none before is counted.
     */
    Ledger snapshot(boolean cleanStop, long damagedBytes, long uncleanStops, boolean atOldest) {
        lock.lock();
        try {
            List<LedgerTarget> entries = new ArrayList<>();
            long head = journal.nextSeq();
            for (Target t : targets.values()) {
                if (t.recording) {
                    long start = atOldest ? journal.firstSeq() : head;
                    entries.add(new LedgerTarget(t.name, t.filter().globs(), start, new Counters(), head - start, -1));
                } else {
                    entries.add(t.ledgerEntry().withRouted(t.routed));
                }
            }
            return new Ledger(head, counters.offered, counters.accepted, counters.refused(), damagedBytes, entries,
                    cleanStop, uncleanStops, counters.filtered, jumps.all());
        } finally {
            lock.unlock();
        }
    }

    /** The door's counts as of now, with every target's backlog (a target being recorded is not shown yet). */
    record Counts(long offered, long accepted, EnumMap<RefusalReason, Long> refused, String lastRefusal,
            Map<String, TargetBacklog> backlogs, long filtered) {
    }

    Counts counts() {
        Map<String, Long> routedNow = new LinkedHashMap<>();
        long offeredNow;
        long acceptedNow;
        long filteredNow;
        EnumMap<RefusalReason, Long> refusedNow;
        lock.lock();
        try {
            offeredNow = counters.offered;
            acceptedNow = counters.accepted;
            filteredNow = counters.filtered;
            refusedNow = counters.refused();
            targets.forEach((name, t) -> {
                if (!t.recording) {
                    routedNow.put(name, t.routed);
                }
            });
        } finally {
            lock.unlock();
        }
        Map<String, TargetBacklog> backlogs = new LinkedHashMap<>(released);
        routedNow.forEach((name, routed) -> {
            Target t = targets.get(name);
            if (t != null) {
                backlogs.put(name, t.backlog(routed));
            }
        });
        return new Counts(offeredNow, acceptedNow, refusedNow, counters.lastRefusal, backlogs, filteredNow);
    }
}
