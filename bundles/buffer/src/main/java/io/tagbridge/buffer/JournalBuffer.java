package io.tagbridge.buffer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.IngestResult;
import io.tagbridge.api.RefusalReason;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.BackupException;
import io.tagbridge.api.pipeline.BatchBackup;
import io.tagbridge.api.pipeline.BufferStatus;
import io.tagbridge.api.pipeline.Diagnosis;
import io.tagbridge.api.pipeline.DropReason;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.TargetBacklog;
import io.tagbridge.api.pipeline.TargetCursor;
import io.tagbridge.api.pipeline.UncleanStop;
import io.tagbridge.buffer.journal.Journal;
import io.tagbridge.buffer.journal.Storage;

/**
 * The buffer: a journal every target reads through a cursor of its own, a door that counts every value, and a
 * background thread that syncs the journal, keeps the ledger and deletes what every target is done with.
 *
 * <p>With a persistent journal an accepted value is in a mapped segment, in the operating system's hands, before
 * {@code offer} returns, and on disk within the sync interval (or before {@code offer} returns, with sync on
 * accept). A durable offer completes after the sync that covers it: every offer waiting shares one sync, which
 * starts as soon as one waits (group commit), and forces only what was written since the last one. With the
 * journal off the same structure lives on the heap and values still unsettled when it stops go to backup files,
 * per target.
 */
final class JournalBuffer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JournalBuffer.class);
    private static final int SPILL_CHUNK = 10_000;
    private static final double SPILL_AT_PERCENT = 90;
    /** A target this close to the journal's end keeps up: a change of storage may close the door for it. */
    private static final long KEEPING_UP_VALUES = 5_000;
    private static final long DRAIN_CLOSED_SECONDS = 30;
    /** How long health says that the stop before this start was unclean. */
    private static final Duration UNCLEAN_STOP_SHOWN = Duration.ofMinutes(5);
    private static final Duration SPILL_SHOWN = Duration.ofMinutes(5);

    private final Journal journal;
    private final Path ledgerDirectory;
    private final LongSupplier nowMicros;
    private final Clock clock;
    private final BackupSource backup;
    private volatile BufferSettings settings;

    private final ReentrantLock doorLock = new ReentrantLock();
    private final Map<String, Target> targets = new ConcurrentHashMap<>();
    private volatile Target[] routing = new Target[0];
    /**
     * The last counters of targets released after their configuration was deleted, so that what became of their
     * values (dropped as TARGET_DELETED, among others) stays in the metrics until the next start. A target
     * configured again under the same name shows its own counters instead.
     */
    private final Map<String, TargetBacklog> released = new java.util.concurrent.ConcurrentHashMap<>();
    private long offered;
    private long accepted;
    private final EnumMap<RefusalReason, Long> refused = new EnumMap<>(RefusalReason.class);
    private volatile String lastRefusal = "";
    private final boolean startNewTargetsAtOldest;
    private final Signals signals;

    private final ReentrantLock syncLock = new ReentrantLock();
    private final Condition syncWanted = syncLock.newCondition();
    private final Condition roundDone = syncLock.newCondition();
    /** Periodic rounds (ledger written, segments released) started and finished; guarded by the sync lock. */
    private long roundsStarted;
    private long roundsDone;
    private boolean roundRequested;
    private volatile long syncedSeq;
    private boolean syncRequested;
    /** Durable offers waiting for the sync that covers them; guarded by the sync lock. */
    private final List<Waiter> waiters = new ArrayList<>();
    /** Completes durable offers, so that no caller's callback ever runs on the sync thread. */
    private final ExecutorService acks = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tagbridge-journal-acks");
        t.setDaemon(true);
        return t;
    });
    private volatile long syncStartedNanos = -1;
    private volatile Diagnosis syncFailure;
    private volatile Diagnosis writeFailure;
    private volatile Diagnosis unavailable;
    /** The newest ledger on disk: segments go only once it no longer needs them. */
    private volatile Ledger savedLedger;
    private long uncleanStops;
    private volatile UncleanStop uncleanStop;

    private final ReentrantLock spillLock = new ReentrantLock();
    private final Condition spillWanted = spillLock.newCondition();
    private boolean spillRequested;

    private final JournalDamage damage;
    /** What the last spill round did, shown for {@link #SPILL_SHOWN} so that an operator sees it happened. */
    private volatile Diagnosis spillState;
    private volatile long spillStateMillis;
    private volatile Diagnosis threadDeath;
    private volatile long threadDeathMillis;

    private volatile Runnable onDrained;
    /** When the door was closed for a change of storage (System.nanoTime), or 0 while it is open. */
    private volatile long doorClosedAt;
    private volatile boolean running = true;
    private final Thread syncThread;
    private final Thread spillThread;

    /** Where spilled values go: the backup service of the moment, or null while there is none. */
    interface BackupSource {
        BatchBackup get();
    }

    /** A durable offer: done once every value before {@code upTo} is on disk. */
    private record Waiter(long upTo, int count, CompletableFuture<IngestResult> answer) {
    }

    private JournalBuffer(BufferSettings settings, Storage storage, Path ledgerDirectory, BackupSource backup,
            LongSupplier nowMicros, Clock clock) throws IOException {
        this.settings = settings;
        this.ledgerDirectory = ledgerDirectory;
        this.backup = backup;
        this.nowMicros = nowMicros;
        this.clock = clock;
        Ledger ledger = storage.persistent() ? Ledger.load(ledgerDirectory) : null;
        this.damage = new JournalDamage(ledger == null || !ledger.cleanStop());
        this.journal = Journal.open(storage, damage, ledger == null ? 0 : ledger.headSeq());
        this.signals = new Signals(journal);
        this.startNewTargetsAtOldest = ledger == null && journal.nextSeq() > journal.firstSeq();
        if (startNewTargetsAtOldest) {
            LOG.warn("The journal holds {} values but no readable ledger: every target reads them all again "
                    + "(repeated rows are stored once); the counters start again from zero",
                    journal.nextSeq() - journal.firstSeq());
        }
        restore(ledger);
        this.syncedSeq = journal.nextSeq();
        if (journal.persistent()) {
            noteHowTheLastRunStopped(ledger);
        }
        this.syncThread = start("tagbridge-journal-sync", this::syncLoop);
        this.spillThread = start("tagbridge-journal-spill", this::spillLoop);
    }

    static JournalBuffer open(BufferSettings settings, Storage storage, Path ledgerDirectory, BackupSource backup,
            LongSupplier nowMicros, Clock clock) throws IOException {
        return new JournalBuffer(settings, storage, ledgerDirectory, backup, nowMicros, clock);
    }

    /**
     * Runs a journal loop on its own thread; a loop that dies from an unexpected error is logged, shown in
     * health, and started again, so that accepted values are never left without their sync or spill.
     */
    private Thread start(String name, Runnable loop) {
        Thread thread = new Thread(() -> {
            while (running) {
                try {
                    loop.run();
                    return;
                } catch (Throwable e) { // NOPMD: whatever ends the loop must be seen and the loop restarted
                    threadDeathMillis = System.currentTimeMillis();
                    threadDeath = new Diagnosis("THREAD_DIED", "the journal's " + name + " thread died and was "
                            + "restarted; values stay in the journal. If this repeats, restart the gateway and "
                            + "report the error in the log", e.toString());
                    LOG.error("Journal: thread {} died from {}; starting it again in 1 s", name, e.toString(), e);
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException stop) {
                        return;
                    }
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * Finds out whether the run before stopped in order, says what a power cut may have cost if it did not, and
     * notes on disk, before the first value is accepted, that this run has not stopped yet.
     */
    private void noteHowTheLastRunStopped(Ledger ledger) throws IOException {
        boolean hadValues = journal.nextSeq() > journal.firstSeq();
        uncleanStops = ledger == null ? 0 : ledger.uncleanStops();
        if (ledger == null ? hadValues : !ledger.cleanStop()) {
            uncleanStops++;
            long syncMark = journal.lastSyncMarkMicros();
            long newest = journal.newestReceivedMicros();
            uncleanStop = new UncleanStop(clock.instant(), instant(syncMark), instant(newest));
            LOG.warn("The gateway did not stop in order the last time (a power cut, a crash or a kill): the journal "
                    + "was last synced to disk at {}; if the power was cut, values accepted after that may be lost "
                    + "(the newest value found was accepted at {}). Values answered as durable are not affected",
                    uncleanStop.lastSync() == null ? "an unknown time" : uncleanStop.lastSync(),
                    uncleanStop.newestFound() == null ? "no time: the journal is empty" : uncleanStop.newestFound());
        }
        Ledger running = snapshot(false);
        running.save(ledgerDirectory);
        savedLedger = running;
    }

    /** Takes the targets and counters back from the ledger, and counts what was accepted after it was written. */
    private void restore(Ledger ledger) {
        if (ledger != null) {
            offered = ledger.offered();
            accepted = ledger.accepted();
            refused.putAll(ledger.refused());
            damage.countedBefore(ledger.damagedBytes());
            long tornAway = Math.max(0, ledger.headSeq() - journal.nextSeq());
            if (tornAway > 0) {
                LOG.error("Journal: {} values the ledger counted as accepted were lost with the end of the journal "
                        + "(a power cut before they reached the disk?); they are counted as dropped", tornAway);
            }
            for (LedgerTarget t : ledger.targets()) {
                if (t.seq() < ledger.headSeq() && tornAway > 0) {
                    t.counters().drop(DropReason.JOURNAL_DAMAGED,
                            ledger.headSeq() - Math.max(t.seq(), journal.nextSeq()));
                }
                long seq = Math.max(t.seq(), journal.firstSeq());
                Target target = new Target(journal, signals, t.name(), TagFilter.of(t.filter()), journal.position(seq),
                        t.counters(), journal.nextSeq());
                target.routed = t.routed();
                if (t.deletedAtMillis() >= 0) {
                    target.markDeleted(t.deletedAtMillis());
                }
                targets.put(t.name(), target);
            }
            rebuildRouting();
            countAfter(ledger.headSeq());
        }
    }

    /**
     * Counts the values the journal holds beyond the ledger's head: accepted after it was last written. Values lost
     * to damage among them (a power cut can leave a hole where pages did not reach the disk while later ones did)
     * were accepted too: they are routed to every target, which counts them as dropped when it reads past them.
     */
    private void countAfter(long headSeq) {
        if (journal.nextSeq() <= headSeq) {
            return;
        }
        Journal.Position p = journal.position(headSeq);
        List<ReceivedValue> chunk = new ArrayList<>();
        long counted = 0;
        long lost = 0;
        int read;
        do {
            read = journal.read(p, chunk, 10_000, null);
            for (ReceivedValue v : chunk) {
                for (Target t : routing) {
                    if (t.filter().test(v.value().tagName())) {
                        t.routed++;
                    }
                }
            }
            long lostHere = p.takeLost();
            for (Target t : routing) {
                t.routed += lostHere;
            }
            lost += lostHere;
            counted += chunk.size() + lostHere;
            chunk.clear();
        } while (read > 0);
        offered += counted;
        accepted += counted;
        LOG.info("Journal recovered: {} values accepted after the ledger was last written were counted{}", counted,
                lost == 0 ? "" : " (" + lost + " of them lost to damage, counted as dropped)");
    }

    /** Microseconds since the epoch as an instant; null for -1, which means none. */
    private static Instant instant(long micros) {
        return micros < 0 ? null
                : Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    Journal journal() {
        return journal;
    }

    boolean persistent() {
        return journal.persistent();
    }

    void reconfigure(BufferSettings newSettings) {
        settings = newSettings;
        journal.limits(newSettings.maxBytes(), newSettings.minFreeBytes(), newSettings.segmentBytes());
        signals.signalRoom();
    }

    /** Runs {@code action} once, as soon as every target has settled everything durably. */
    void whenDrained(Runnable action) {
        onDrained = action;
    }

    /**
     * Whether every target whose configuration exists has settled everything durably. Deleted targets do not count:
     * their values stay where they are until they are released.
     */
    /**
     * For a pending change of storage: once every target keeps up with the stream, closes the door, so that the
     * backlog can reach nothing, and runs the change once everything is settled for good. Under a steady stream the
     * backlog never reaches nothing by itself; with the door closed, what is offered meanwhile is refused
     * (STOPPING) and stays its producer's, rather than be left behind in the storage being given up. A door closed
     * for {@value #DRAIN_CLOSED_SECONDS} s without the backlog settling (a database that went away) opens again.
     */
    private void drainForTheChange() {
        Runnable action = onDrained;
        if (action == null) {
            return;
        }
        if (drained()) {
            closeDoor();
            if (drained()) { // nothing slipped in before the door closed: nothing is left behind
                onDrained = null;
                action.run();
                return;
            }
        }
        long now = System.nanoTime();
        if (doorClosedAt == 0 && keepingUp()) {
            closeDoor();
            LOG.info("Buffer: every writer keeps up; values are refused for a moment while the last ones are "
                    + "written and the buffer changes where it keeps values");
        } else if (doorClosedAt != 0 && now - doorClosedAt > TimeUnit.SECONDS.toNanos(DRAIN_CLOSED_SECONDS)) {
            doorClosedAt = 0;
            LOG.warn("Buffer: the backlog was not written within {} s of closing the door; values are taken again, "
                    + "and the change of storage waits until the writers keep up again", DRAIN_CLOSED_SECONDS);
        }
    }

    /** From now on, values are refused until the change of storage is done or given up for now. */
    private void closeDoor() {
        doorLock.lock();
        try {
            if (doorClosedAt == 0) {
                doorClosedAt = System.nanoTime();
            }
        } finally {
            doorLock.unlock();
        }
    }

    /** Whether every existing target has settled all but the last few batches. */
    private boolean keepingUp() {
        long head = journal.nextSeq();
        for (Target t : routing) {
            if (t.deletedAtMillis() < 0 && head - t.settledSeq() > KEEPING_UP_VALUES) {
                return false;
            }
        }
        return true;
    }

    private boolean drained() {
        boolean persistent = journal.persistent();
        long head = journal.nextSeq();
        for (Target t : routing) {
            if (t.deletedAtMillis() < 0 && t.neededFrom(persistent) < head) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- the door

    /**
     * Offers values: returns once they are in the journal, or with {@code sync=ON_ACCEPT} once they are on disk.
     */
    IngestResult offer(List<TagValue> values) {
        if (settings.sync() == SyncPolicy.ON_ACCEPT && journal.persistent()) {
            return offerDurably(values).toCompletableFuture().join();
        }
        Appended appended = append(values);
        return appended.answer();
    }

    /**
     * Offers values and completes once they are on disk (see {@link io.tagbridge.api.TagIngest#offerDurably}).
     * Never completes exceptionally; callbacks run on the acknowledging thread or the caller's, never on the sync
     * thread.
     */
    CompletionStage<IngestResult> offerDurably(List<TagValue> values) {
        Appended appended = append(values);
        if (!appended.answer().allAccepted() || !journal.persistent() || values.isEmpty()) {
            return CompletableFuture.completedFuture(appended.answer());
        }
        return awaitSync(appended.upTo(), values.size());
    }

    /** What an append came to: the answer, and the sequence number after its last value when it was accepted. */
    private record Appended(IngestResult answer, long upTo) {
    }

    private Appended append(List<TagValue> values) {
        int n = values.size();
        if (n == 0) {
            return new Appended(IngestResult.accepted(0), syncedSeq);
        }
        Diagnosis down = unavailable;
        if (down != null) {
            return new Appended(refuse(n, RefusalReason.JOURNAL_UNAVAILABLE, down.advice()), -1);
        }
        long received = nowMicros.getAsLong();
        long deadline = System.nanoTime() + settings.blockTimeoutNanos();
        long[] seq = new long[1];
        while (true) {
            IngestResult refusal;
            boolean full;
            doorLock.lock();
            try {
                if (!running) {
                    return refusal(refuse(n, RefusalReason.STOPPING, "the buffer is stopping; offer the values "
                            + "again once Tagbridge is running"));
                }
                if (doorClosedAt != 0) {
                    return refusal(refuse(n, RefusalReason.STOPPING, "the buffer is changing where it keeps values "
                            + "(the journal is moved or switched off) and takes values again within seconds; offer "
                            + "them again then"));
                }
                refusal = route(values);
                if (refusal != null) {
                    return refusal(refuse(refusal));
                }
                Journal.Appended appended = memoryFull(n) ? Journal.Appended.FULL
                        : journal.append(values, received, seq);
                switch (appended) {
                    case OK -> {
                        offered += n;
                        accepted += n;
                        countRouted(values);
                        full = false;
                    }
                    case TOO_LARGE -> {
                        return refusal(refuse(n, RefusalReason.TOO_LARGE, n + " values at once are more than a "
                                + "journal segment holds (" + journal.maxRecordBytes() + " bytes); offer fewer at a "
                                + "time"));
                    }
                    case UNENCODABLE -> {
                        return refusal(refuse(n, RefusalReason.INVALID, "a decimal value has more than 65535 "
                                + "digits and cannot be stored"));
                    }
                    default -> full = true;
                }
            } catch (IOException e) {
                writeFailure = new Diagnosis("JOURNAL_UNAVAILABLE", "the journal cannot be written, so values are "
                        + "refused: free space on the disk of the data directory or fix its permissions; values are "
                        + "taken again as soon as it can be written", e.toString());
                return refusal(refuse(n, RefusalReason.JOURNAL_UNAVAILABLE, "the journal cannot be written ("
                        + e.getMessage() + "): free space on the disk of the data directory, or fix its permissions; "
                        + "offer the values again later"));
            } finally {
                doorLock.unlock();
            }
            if (!full) {
                writeFailure = null;
                signals.valuesAppended();
                return new Appended(IngestResult.accepted(n), seq[0] + n);
            }
            requestSpill();
            BufferSettings current = settings;
            switch (current.policy()) {
                case REJECT_NEWEST -> {
                    return refusal(refuse(n, RefusalReason.BUFFER_FULL, fullMessage("")));
                }
                case DROP_OLDEST -> {
                    if (!dropOldest(n)) {
                        return refusal(refuse(n, RefusalReason.BUFFER_FULL,
                                fullMessage(" (nothing could be dropped)")));
                    }
                }
                case BLOCK -> {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return refusal(refuse(n, RefusalReason.BUFFER_FULL, fullMessage(" (waited "
                                + TimeUnit.NANOSECONDS.toMillis(current.blockTimeoutNanos()) + " ms)")));
                    }
                    signals.awaitRoom(left);
                }
            }
        }
    }

    private static Appended refusal(IngestResult refused) {
        return new Appended(refused, -1);
    }

    /** Null when every value has a target; else the refusal, naming the first tag no target takes. */
    private IngestResult route(List<TagValue> values) {
        Target[] current = routing;
        if (current.length == 0) {
            return IngestResult.refused(values.size(), RefusalReason.NO_TARGET, "no target is configured: create "
                    + "an io.tagbridge.writer configuration so that values have somewhere to go");
        }
        for (Target t : current) {
            if (t.filter().takesAll()) {
                return null;
            }
        }
        for (TagValue v : values) {
            boolean taken = false;
            for (Target t : current) {
                if (t.filter().test(v.tagName())) {
                    taken = true;
                    break;
                }
            }
            if (!taken) {
                return IngestResult.refused(values.size(), RefusalReason.NO_TARGET, "no target takes tag '"
                        + v.tagName() + "': add it to a writer's tagFilter");
            }
        }
        return null;
    }

    private void countRouted(List<TagValue> values) {
        for (Target t : routing) {
            if (t.filter().takesAll()) {
                t.routed += values.size();
            } else {
                for (TagValue v : values) {
                    if (t.filter().test(v.tagName())) {
                        t.routed++;
                    }
                }
            }
        }
    }

    /** With the journal off, its capacity is counted in values, as the buffer's always was. */
    private boolean memoryFull(int n) {
        return !journal.persistent() && journal.nextSeq() - oldestNeeded() + n > settings.capacity();
    }

    private String fullMessage(String waited) {
        String why = journal.persistent() ? journal.limitReached() : null;
        return "the buffer is full" + (why == null ? " (" + settings.capacity() + " values)" : ": " + why)
                + ". The database is not keeping up or is unreachable, and spilling to backup files did not free "
                + "enough room; see /api/buffer/health" + waited;
    }

    private IngestResult refuse(int n, RefusalReason reason, String why) {
        return refuse(IngestResult.refused(n, reason, why));
    }

    private IngestResult refuse(IngestResult refusal) {
        doorLock.lock();
        try {
            offered += refusal.refused();
            refused.merge(refusal.reasonCode(), (long) refusal.refused(), Long::sum);
        } finally {
            doorLock.unlock();
        }
        lastRefusal = refusal.reason();
        return refusal;
    }

    void countRefused(int n, RefusalReason reason, String detail) {
        refuse(n, reason, detail);
    }

    // ---------------------------------------------------------------- targets

    TargetCursor open(String name, List<String> filterGlobs) {
        TagFilter filter = TagFilter.of(filterGlobs);
        Target target = knownOrRecorded(name, filter, "it takes values offered from now on");
        doorLock.lock();
        try {
            target.reopen(filter);
            rebuildRouting();
            return target;
        } finally {
            doorLock.unlock();
        }
    }

    void expect(String name, List<String> filterGlobs) {
        TagFilter filter = TagFilter.of(filterGlobs);
        Target target = knownOrRecorded(name, filter, "values it takes are kept for it from now on");
        doorLock.lock();
        try {
            target.expected(filter);
            rebuildRouting();
        } finally {
            doorLock.unlock();
        }
    }

    /**
     * The target by name. A new one is written into the ledger on disk before any value is routed to it: had a
     * value been routed to a target the ledger does not know, a power cut would leave that value in the journal
     * with no target to read it.
     */
    private Target knownOrRecorded(String name, TagFilter filter, String what) {
        Target target;
        doorLock.lock();
        try {
            target = targets.get(name);
            if (target != null) {
                return target;
            }
            target = new Target(journal, signals, name, filter, journal.position(journal.nextSeq()), new Counters(),
                    journal.nextSeq());
            target.recording = true;
            targets.put(name, target);
            released.remove(name);
        } finally {
            doorLock.unlock();
        }
        if (journal.persistent()) {
            awaitLedgerRound();
        }
        doorLock.lock();
        try {
            long start = startNewTargetsAtOldest ? journal.firstSeq() : journal.nextSeq();
            target.startAt(journal.position(start), startNewTargetsAtOldest ? journal.nextSeq() : start);
            target.routed = startNewTargetsAtOldest ? journal.nextSeq() - journal.firstSeq() : 0;
            target.recording = false;
            rebuildRouting();
        } finally {
            doorLock.unlock();
        }
        LOG.info("Target {} is new: {} ({})", name, what, filter);
        return target;
    }

    void remove(String name) {
        Target target = targets.get(name);
        if (target != null) {
            target.markDeleted(clock.millis());
            LOG.info("Target {} was deleted: its cursor is released in {} unless it is configured again", name,
                    settings.releaseDeletedAfter());
        }
    }

    /** The targets values are routed to: every known one but those still being written into the ledger. */
    private void rebuildRouting() {
        routing = targets.values().stream().filter(t -> !t.recording).toArray(Target[]::new);
    }

    private long oldestNeeded() {
        boolean persistent = journal.persistent();
        long oldest = journal.nextSeq();
        for (Target t : routing) {
            oldest = Math.min(oldest, t.neededFrom(persistent));
        }
        return oldest;
    }

    /** Waits, without blocking the caller, for the sync that covers values up to {@code upTo}. */
    private CompletionStage<IngestResult> awaitSync(long upTo, int count) {
        CompletableFuture<IngestResult> answer = new CompletableFuture<>();
        syncLock.lock();
        try {
            if (syncedSeq >= upTo) {
                return CompletableFuture.completedFuture(IngestResult.acceptedOnDisk(count));
            }
            waiters.add(new Waiter(upTo, count, answer));
            syncRequested = true;
            syncWanted.signal();
        } finally {
            syncLock.unlock();
        }
        long timeout = settings.syncTimeout().toMillis();
        return answer.completeOnTimeout(IngestResult.refused(count, RefusalReason.JOURNAL_UNAVAILABLE,
                "the journal's sync to disk took longer than " + timeout + " ms; the values may still reach the "
                        + "database, and offering them again is safe (a value's key is its tag and source time). "
                        + "Check the disk of the data directory"), timeout, TimeUnit.MILLISECONDS);
    }

    // ---------------------------------------------------------------- sync, ledger, release

    /**
     * Syncs as soon as a durable offer waits, and every sync interval in any case; the periodic round also marks
     * the sync on disk, writes the ledger and deletes what no target needs.
     */
    private void syncLoop() {
        long periodicAt = System.nanoTime() + settings.syncInterval().toNanos();
        while (running) {
            boolean periodic;
            long round = 0;
            syncLock.lock();
            try {
                while (!syncRequested && !roundRequested && running && periodicAt - System.nanoTime() > 0) {
                    syncWanted.awaitNanos(periodicAt - System.nanoTime());
                }
                periodic = roundRequested || periodicAt - System.nanoTime() <= 0;
                syncRequested = false;
                roundRequested = false;
                if (periodic) {
                    round = ++roundsStarted;
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                syncLock.unlock();
            }
            if (!running) {
                return;
            }
            try {
                if (periodic) {
                    periodicAt = System.nanoTime() + settings.syncInterval().toNanos();
                    syncOnce(false);
                } else {
                    syncJournal();
                }
            } catch (IOException | RuntimeException e) {
                if (!running) {
                    // close() interrupted this round (an interrupted channel fails its I/O) and syncs once more itself
                    return;
                }
                LOG.error("Journal: syncing or keeping the ledger failed: {}. Accepted values stay in the journal; "
                        + "check the disk of the data directory", e.toString());
            } finally {
                if (periodic) {
                    roundFinished(round);
                }
            }
        }
    }

    /**
     * Forces what was appended since the last sync to disk and answers the durable offers it covers; a failure
     * refuses every offer waiting, which may offer again.
     *
     * @return when the sync began, in microseconds since the epoch
     */
    private long syncJournal() throws IOException {
        long began = nowMicros.getAsLong();
        long seq;
        syncStartedNanos = System.nanoTime();
        try {
            seq = journal.persistent() ? journal.force() : journal.nextSeq();
        } catch (IOException | RuntimeException e) {
            syncFailure = new Diagnosis("JOURNAL_UNAVAILABLE", "the journal cannot be synced to disk, so durable "
                    + "offers are refused: check the disk of the data directory (space, errors in the system log)",
                    e.toString());
            refuseWaiters("the journal's sync to disk failed (" + e.getMessage() + "); the values may still reach "
                    + "the database, and offering them again is safe. Check the disk of the data directory");
            throw e;
        } finally {
            syncStartedNanos = -1;
        }
        if (seq >= 0) {
            syncFailure = null;
            synced(seq);
        }
        return began;
    }

    private void roundFinished(long round) {
        syncLock.lock();
        try {
            roundsDone = Math.max(roundsDone, round);
            roundDone.signalAll();
        } finally {
            syncLock.unlock();
        }
    }

    private void synced(long seq) {
        List<Waiter> done = new ArrayList<>();
        syncLock.lock();
        try {
            syncedSeq = Math.max(syncedSeq, seq);
            waiters.removeIf(w -> {
                if (w.upTo() <= seq || w.answer().isDone()) {
                    done.add(w);
                    return true;
                }
                return false;
            });
        } finally {
            syncLock.unlock();
        }
        if (!done.isEmpty()) {
            answer(() -> done.forEach(w -> w.answer().complete(IngestResult.acceptedOnDisk(w.count()))));
        }
    }

    private void refuseWaiters(String why) {
        List<Waiter> refused;
        syncLock.lock();
        try {
            refused = new ArrayList<>(waiters);
            waiters.clear();
        } finally {
            syncLock.unlock();
        }
        answer(() -> refused.forEach(w -> w.answer().complete(IngestResult.refused(w.count(),
                RefusalReason.JOURNAL_UNAVAILABLE, why))));
    }

    /** Runs answers on the acknowledging thread; once that is shut down, on this one. */
    private void answer(Runnable answers) {
        try {
            acks.execute(answers);
        } catch (RejectedExecutionException stopped) {
            answers.run();
        }
    }

    /**
     * The periodic round: syncs the journal, notes on disk when, writes the ledger, and deletes the segments the
     * ledger on disk no longer needs. The ledger is taken before the sync, so that it never counts a value the
     * disk may not hold.
     */
    private void syncOnce(boolean cleanStop) throws IOException {
        Ledger ledger = snapshot(cleanStop);
        long began = syncJournal();
        if (journal.persistent()) {
            journal.markSynced(began);
            ledger.save(ledgerDirectory);
            savedLedger = ledger;
        }
        releaseDeletedTargets();
        if (journal.releaseBefore(releasable()) > 0) {
            signals.signalRoom();
        }
        if (journal.persistent() && fillPercent() >= SPILL_AT_PERCENT) {
            requestSpill();
        }
        drainForTheChange();
    }

    /**
     * Deletes what no target needs any more, now: at once for a journal in memory; for one on disk through a round
     * of the sync thread, which writes the ledger first (see {@link #releasable()}).
     */
    private void release() throws IOException {
        if (!journal.persistent()) {
            if (journal.releaseBefore(releasable()) > 0) {
                signals.signalRoom();
            }
            return;
        }
        awaitLedgerRound();
    }

    /**
     * Asks the sync thread for a periodic round (sync, ledger, release) that begins after this call, and waits for
     * it, at most 5 s.
     */
    private void awaitLedgerRound() {
        syncLock.lock();
        try {
            long wanted = roundsStarted + 1;
            roundRequested = true;
            syncWanted.signal();
            long left = TimeUnit.SECONDS.toNanos(5);
            while (roundsDone < wanted && running && left > 0) {
                left = roundDone.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            syncLock.unlock();
        }
    }

    /**
     * Where segments may be deleted up to: what no target needs, and, with the journal on disk, what the ledger on
     * disk does not need either, so that a power cut never leaves a ledger that points into a deleted segment.
     */
    private long releasable() {
        if (routing.length == 0) {
            // No target yet (after a start without a readable ledger, targets come as their writers start):
            // nothing tells what they will need, so everything stays.
            return journal.firstSeq();
        }
        Ledger onDisk = savedLedger;
        long needed = oldestNeeded();
        return journal.persistent() && onDisk != null ? Math.min(needed, onDisk.oldestNeeded()) : needed;
    }

    private Ledger snapshot(boolean cleanStop) {
        doorLock.lock();
        try {
            List<LedgerTarget> entries = new ArrayList<>();
            long head = journal.nextSeq();
            for (Target t : targets.values()) {
                entries.add(t.recording ? recorded(t, head) : t.ledgerEntry().withRouted(t.routed));
            }
            return new Ledger(journal.nextSeq(), offered, accepted, new EnumMap<>(refused), damage.bytes(), entries,
                    cleanStop, uncleanStops);
        } finally {
            doorLock.unlock();
        }
    }

    /**
     * A new target as the ledger keeps it while it is being recorded: where it will start, as if it started at the
     * ledger's head. Values after the head are routed to it at a restart from this ledger; none before is counted.
     */
    private LedgerTarget recorded(Target t, long head) {
        long start = startNewTargetsAtOldest ? journal.firstSeq() : head;
        return new LedgerTarget(t.name, t.filter().globs(), start, new Counters(), head - start, -1);
    }

    private void releaseDeletedTargets() {
        long now = clock.millis();
        long after = settings.releaseDeletedAfter().toMillis();
        for (Target t : targets.values()) {
            long deletedAt = t.deletedAtMillis();
            if (deletedAt >= 0 && now - deletedAt >= after && !t.isOpen()) {
                doorLock.lock();
                try {
                    long dropped = t.dropAll(DropReason.TARGET_DELETED);
                    targets.remove(t.name);
                    released.put(t.name, t.backlog(t.routed));
                    rebuildRouting();
                    LOG.warn("Target {} released {} after its configuration was deleted: its {} unsent values are "
                            + "counted as dropped", t.name, settings.releaseDeletedAfter(), dropped);
                } finally {
                    doorLock.unlock();
                }
            }
        }
    }

    // ---------------------------------------------------------------- spilling and dropping

    private void requestSpill() {
        spillLock.lock();
        try {
            spillRequested = true;
            spillWanted.signal();
        } finally {
            spillLock.unlock();
        }
    }

    private void spillLoop() {
        while (running) {
            spillLock.lock();
            try {
                while (!spillRequested && running) {
                    spillWanted.await();
                }
                spillRequested = false;
            } catch (InterruptedException e) {
                return;
            } finally {
                spillLock.unlock();
            }
            try {
                spillWhileFull();
            } catch (InterruptedException e) {
                return;
            } catch (BackupException | IOException | RuntimeException e) {
                LOG.error("Journal: spilling to backup files failed: {}. When the journal is full, the overflow "
                        + "policy applies", e.getMessage());
            }
        }
    }

    /**
     * While the journal is nearly full, moves the oldest values of the target that lags most to its backup files,
     * so that a dead target does not make the live ones refuse values.
     */
    private void spillWhileFull() throws InterruptedException, BackupException, IOException {
        while (running && journal.persistent() && (fillPercent() >= SPILL_AT_PERCENT - 10
                || journal.limitReached() != null)) {
            Target laggard = mostLagging();
            if (laggard == null) {
                return;
            }
            int moved = laggard.takeOldest(SPILL_CHUNK, Long.MAX_VALUE, 5_000, this::spill);
            if (moved <= 0) {
                return;
            }
            release();
        }
    }

    private DropReason spill(Target target, List<ReceivedValue> values) throws BackupException {
        BatchBackup to = backup.get();
        if (to == null) {
            throw new BackupException("the backup service is not running", null);
        }
        String why = "the journal was full (" + (journal.limitReached() == null ? "over "
                + (int) SPILL_AT_PERCENT + " %" : journal.limitReached()) + "); target " + target.name
                + " lagged most, and its oldest values were moved to backup";
        try {
            Path file = to.save(target.name, values, why);
            spillState = Diagnosis.of("SPILLING", "the journal is nearly full: the oldest values of target "
                    + target.name + ", which lags most, go to backup files (last: " + file.getFileName() + ")");
            spillStateMillis = clock.millis();
            LOG.warn("Journal nearly full: {} oldest values of target {} moved to {}", values.size(), target.name,
                    file);
            return null;
        } catch (BackupException e) {
            spillState = new Diagnosis("SPILL_FAILING", "the journal is full and its oldest values cannot go to "
                    + "backup files either; the overflow policy applies. Free disk space", e.getMessage());
            spillStateMillis = clock.millis();
            throw e;
        }
    }

    private Target mostLagging() {
        boolean persistent = journal.persistent();
        Target laggard = null;
        long oldest = Long.MAX_VALUE;
        for (Target t : routing) {
            long from = t.neededFrom(persistent);
            if (from < oldest && from < journal.nextSeq()) {
                oldest = from;
                laggard = t;
            }
        }
        return laggard;
    }

    /** Overflow policy DROP_OLDEST: gives up the oldest values, for every target that still needs them. */
    private boolean dropOldest(int room) {
        long from = oldestNeeded();
        long until = journal.persistent() ? Math.max(from + room, journal.endOfSegmentAt(from)) : from + room;
        boolean dropped = false;
        for (Target t : routing) {
            try {
                if (t.settledSeq() < until && t.takeOldest(Integer.MAX_VALUE, until, 1_000, (x, v) -> DropReason.OVERFLOW) > 0) {
                    dropped = true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return dropped;
            } catch (BackupException | RuntimeException e) {
                LOG.error("Dropping the oldest values failed: {}", e.toString());
            }
        }
        if (dropped) {
            lastRefusal = "the buffer was full: the oldest values were discarded (overflowPolicy DROP_OLDEST)";
            try {
                release();
            } catch (IOException e) {
                LOG.error("Releasing journal segments failed: {}", e.toString());
            }
        }
        return dropped;
    }

    // ---------------------------------------------------------------- status

    double fillPercent() {
        if (!journal.persistent()) {
            return 100.0 * (journal.nextSeq() - oldestNeeded()) / settings.capacity();
        }
        Target laggard = mostLagging();
        long held = laggard == null ? 0 : laggard.bytesNeeded();
        return Math.min(100, 100.0 * held / settings.maxBytes());
    }

    BufferStatus status() {
        Map<String, Long> routedNow = new LinkedHashMap<>();
        long offeredNow;
        long acceptedNow;
        EnumMap<RefusalReason, Long> refusedNow = new EnumMap<>(RefusalReason.class);
        doorLock.lock();
        try {
            offeredNow = offered;
            acceptedNow = accepted;
            for (RefusalReason reason : RefusalReason.values()) {
                refusedNow.put(reason, refused.getOrDefault(reason, 0L));
            }
            // A target still being written into the ledger takes no value yet: it is not shown until it does.
            targets.forEach((name, t) -> {
                if (!t.recording) {
                    routedNow.put(name, t.routed);
                }
            });
        } finally {
            doorLock.unlock();
        }
        Map<String, TargetBacklog> backlogs = new LinkedHashMap<>(released);
        routedNow.forEach((name, routed) -> {
            Target t = targets.get(name);
            if (t != null) {
                backlogs.put(name, t.backlog(routed));
            }
        });
        double fill = fillPercent();
        return new BufferStatus(journal.persistent(), journal.nextSeq() - oldestNeeded(), journal.heldBytes(), fill,
                offeredNow, acceptedNow, refusedNow, damage.bytes(), lastRefusal, backlogs, diagnosis(fill),
                uncleanStops, uncleanStop);
    }

    /**
     * Refuses every value from now on, with {@code why}: the journal is configured on but cannot be opened, and
     * values may not be kept in memory instead.
     */
    void refuseAll(Diagnosis why) {
        unavailable = why;
    }

    /** Why values cannot be kept as configured now, or null when they can. */
    private Diagnosis journalUnavailable() {
        Diagnosis down = unavailable;
        if (down != null) {
            return down;
        }
        long started = syncStartedNanos;
        if (started > 0 && System.nanoTime() - started > settings.syncTimeout().toNanos()) {
            return Diagnosis.of("JOURNAL_UNAVAILABLE", "a sync of the journal to disk has taken "
                    + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + " s: the disk of the data "
                    + "directory hangs or is very slow, and durable offers are refused; check it");
        }
        Diagnosis failed = syncFailure;
        return failed != null ? failed : writeFailure;
    }

    private Diagnosis diagnosis(double fill) {
        Diagnosis down = journalUnavailable();
        if (down != null) {
            return down;
        }
        Diagnosis unknown = damage.formatUnknown();
        if (unknown != null) {
            return unknown;
        }
        Diagnosis died = threadDeath;
        if (died != null && System.currentTimeMillis() - threadDeathMillis < Duration.ofMinutes(1).toMillis()) {
            return died;
        }
        Diagnosis spilling = spillState;
        if (spilling != null && clock.millis() - spillStateMillis < SPILL_SHOWN.toMillis()) {
            return spilling;
        }
        Diagnosis damaged = damage.recentDamage();
        if (damaged != null) {
            return damaged;
        }
        UncleanStop unclean = uncleanStop;
        if (unclean != null && clock.millis() - unclean.detectedAt().toEpochMilli() < UNCLEAN_STOP_SHOWN.toMillis()) {
            return Diagnosis.of("UNCLEAN_STOP", "the gateway did not stop in order the last time (a power cut, a crash "
                    + "or a kill): values accepted after the journal's last sync to disk ("
                    + (unclean.lastSync() == null ? "time unknown" : unclean.lastSync()) + ") may have been lost if "
                    + "the power was cut; values answered as durable were not. If it was a power cut, check the "
                    + "gateway's power supply");
        }
        if (!journal.persistent() && settings.journal()) {
            return Diagnosis.of("JOURNAL_OFF", "the journal could not be opened and values are kept in memory only "
                    + "(whenJournalUnavailable=MEMORY): a crash or a power cut loses them. See the log, fix the data "
                    + "directory (space, permissions); the journal is tried again every few seconds");
        }
        return Diagnosis.of(journal.persistent() ? "JOURNALING" : "IN_MEMORY", journal.persistent()
                ? "values are in the journal on disk" : "the journal is off: values are in memory only");
    }

    // ---------------------------------------------------------------- stop

    /**
     * Stops: a journal on disk is synced and its ledger written, so that the next start goes on from here. A journal
     * in memory gives each target's unsettled values to the backup.
     */
    @Override
    public void close() {
        doorLock.lock();
        try {
            if (!running) {
                return;
            }
            running = false;
        } finally {
            doorLock.unlock();
        }
        syncThread.interrupt();
        spillThread.interrupt();
        signals.stop();
        try {
            syncThread.join(5_000);
            spillThread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            syncOnce(true);
        } catch (IOException | RuntimeException e) {
            LOG.error("Journal: the last sync failed: {}. The next start counts this stop as unclean",
                    e.toString());
        }
        refuseWaiters("the buffer stopped before the values were synced to disk; offer them again once Tagbridge "
                + "is running (offering again is safe)");
        acks.shutdown();
        if (!journal.persistent()) {
            backUpUnsettled();
        }
        journal.close();
    }

    private void backUpUnsettled() {
        for (Target t : targets.values()) {
            t.forEachUnsettled(SPILL_CHUNK, values -> {
                String reason = "the buffer stopped with " + values.size() + " values not yet written for target "
                        + t.name + " (the journal is off)";
                BatchBackup to = backup.get();
                try {
                    if (to == null) {
                        throw new BackupException("no backup service is running", null);
                    }
                    Path file = to.save(t.name, values, reason);
                    LOG.warn("Buffer stopped: {} unwritten values of target {} saved to {}", values.size(), t.name,
                            file);
                } catch (BackupException e) {
                    LOG.error("LOST {} buffered values of target {}: the buffer stopped with the journal off and the "
                            + "backup failed: {}", values.size(), t.name, e.getMessage());
                }
            });
        }
    }

    /** Targets by name, for tests. */
    Map<String, Target> targets() {
        return targets;
    }
}
