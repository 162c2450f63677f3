package io.tagbridge.buffer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
import io.tagbridge.buffer.journal.Journal;
import io.tagbridge.buffer.journal.JournalEvents;
import io.tagbridge.buffer.journal.Storage;

/**
 * The buffer: a journal every target reads through a cursor of its own, a door that counts every value, and a
 * background thread that syncs the journal, keeps the ledger and deletes what every target is done with.
 *
 * <p>With a persistent journal an accepted value is in a mapped segment, in the operating system's hands, before
 * {@code offer} returns, and on disk within the sync interval (or before {@code offer} returns, with sync on
 * accept). With the journal off the same structure lives on the heap and values still unsettled when it stops go
 * to backup files, per target.
 */
final class JournalBuffer implements JournalEvents, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JournalBuffer.class);
    private static final int SPILL_CHUNK = 10_000;
    private static final double SPILL_AT_PERCENT = 90;

    private final Journal journal;
    private final Path ledgerDirectory;
    private final LongSupplier nowMicros;
    private final Clock clock;
    private final BackupSource backup;
    private volatile BufferSettings settings;

    private final ReentrantLock doorLock = new ReentrantLock();
    private final Map<String, Target> targets = new ConcurrentHashMap<>();
    private volatile Target[] routing = new Target[0];
    private long offered;
    private long accepted;
    private final EnumMap<RefusalReason, Long> refused = new EnumMap<>(RefusalReason.class);
    private volatile String lastRefusal = "";
    private final boolean startNewTargetsAtOldest;

    private final ReentrantLock readersLock = new ReentrantLock();
    private final Condition valuesArrived = readersLock.newCondition();
    private volatile long wakeAt = Long.MAX_VALUE;

    private final ReentrantLock roomLock = new ReentrantLock();
    private final Condition roomFreed = roomLock.newCondition();

    private final ReentrantLock syncLock = new ReentrantLock();
    private final Condition synced = syncLock.newCondition();
    private final Condition syncWanted = syncLock.newCondition();
    private volatile long syncedSeq;
    private boolean syncRequested;

    private final ReentrantLock spillLock = new ReentrantLock();
    private final Condition spillWanted = spillLock.newCondition();
    private boolean spillRequested;

    private volatile long damagedBytes;
    private volatile long lastDamageMillis = -1;
    private final List<String> unreadable = new CopyOnWriteArrayList<>();
    private volatile Diagnosis spillState;
    private volatile Diagnosis threadDeath;
    private volatile long threadDeathMillis;

    private volatile Runnable onDrained;
    private volatile boolean running = true;
    private final Thread syncThread;
    private final Thread spillThread;

    /** Where spilled values go: the backup service of the moment, or null while there is none. */
    interface BackupSource {
        BatchBackup get();
    }

    private JournalBuffer(BufferSettings settings, Storage storage, Path ledgerDirectory, BackupSource backup,
            LongSupplier nowMicros, Clock clock) throws IOException {
        this.settings = settings;
        this.ledgerDirectory = ledgerDirectory;
        this.backup = backup;
        this.nowMicros = nowMicros;
        this.clock = clock;
        Ledger ledger = storage.persistent() ? Ledger.load(ledgerDirectory) : null;
        this.journal = Journal.open(storage, this, ledger == null ? 0 : ledger.headSeq());
        this.startNewTargetsAtOldest = ledger == null && journal.nextSeq() > journal.firstSeq();
        if (startNewTargetsAtOldest) {
            LOG.warn("The journal holds {} values but no readable ledger: every target reads them all again "
                    + "(repeated rows are stored once); the counters start again from zero",
                    journal.nextSeq() - journal.firstSeq());
        }
        restore(ledger);
        this.syncedSeq = journal.nextSeq();
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

    /** Takes the targets and counters back from the ledger, and counts what was accepted after it was written. */
    private void restore(Ledger ledger) {
        if (ledger != null) {
            offered = ledger.offered();
            accepted = ledger.accepted();
            refused.putAll(ledger.refused());
            damagedBytes += ledger.damagedBytes();
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
                Target target = new Target(this, t.name(), TagFilter.of(t.filter()), journal.position(seq),
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

    /** Counts the values the journal holds beyond the ledger's head: accepted after it was last written. */
    private void countAfter(long headSeq) {
        if (journal.nextSeq() <= headSeq) {
            return;
        }
        Journal.Position p = journal.position(headSeq);
        List<ReceivedValue> chunk = new ArrayList<>();
        long counted = 0;
        while (journal.read(p, chunk, 10_000, null) > 0) {
            for (ReceivedValue v : chunk) {
                for (Target t : routing) {
                    if (t.filter().test(v.value().tagName())) {
                        t.routed++;
                    }
                }
            }
            counted += chunk.size();
            chunk.clear();
        }
        offered += counted;
        accepted += counted;
        LOG.info("Journal recovered: {} values accepted after the ledger was last written were counted", counted);
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
        signalRoom();
    }

    /** Runs {@code action} once, as soon as every target has settled everything durably. */
    void whenDrained(Runnable action) {
        onDrained = action;
    }

    /**
     * Whether every target whose configuration exists has settled everything durably. Deleted targets do not count:
     * their values stay where they are until they are released.
     */
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

    IngestResult offer(List<TagValue> values) {
        int n = values.size();
        if (n == 0) {
            return IngestResult.accepted(0);
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
                    return refuse(n, RefusalReason.STOPPING, "the buffer is stopping; offer the values again once "
                            + "Tagbridge is running");
                }
                refusal = route(values);
                if (refusal != null) {
                    return refuse(refusal);
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
                        return refuse(n, RefusalReason.TOO_LARGE, n + " values at once are more than a journal segment "
                                + "holds (" + journal.maxRecordBytes() + " bytes); offer fewer at a time");
                    }
                    case UNENCODABLE -> {
                        return refuse(n, RefusalReason.INVALID, "a decimal value has more than 65535 digits and cannot "
                                + "be stored");
                    }
                    default -> full = true;
                }
            } catch (IOException e) {
                return refuse(n, RefusalReason.BUFFER_FULL, "the journal cannot be written: " + e.getMessage()
                        + "; check the disk of the data directory");
            } finally {
                doorLock.unlock();
            }
            if (!full) {
                valuesAppended();
                awaitSyncIfWanted(seq[0] + n);
                return IngestResult.accepted(n);
            }
            requestSpill();
            BufferSettings current = settings;
            switch (current.policy()) {
                case REJECT_NEWEST -> {
                    return refuse(n, RefusalReason.BUFFER_FULL, fullMessage(""));
                }
                case DROP_OLDEST -> {
                    if (!dropOldest(n)) {
                        return refuse(n, RefusalReason.BUFFER_FULL, fullMessage(" (nothing could be dropped)"));
                    }
                }
                case BLOCK -> {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return refuse(n, RefusalReason.BUFFER_FULL, fullMessage(" (waited "
                                + TimeUnit.NANOSECONDS.toMillis(current.blockTimeoutNanos()) + " ms)"));
                    }
                    awaitRoom(left);
                }
            }
        }
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
        doorLock.lock();
        try {
            Target target = targets.get(name);
            if (target == null) {
                target = newTarget(name, filter);
                LOG.info("Target {} is new: it takes values offered from now on ({})", name, filter);
            }
            target.reopen(filter);
            rebuildRouting();
            return target;
        } finally {
            doorLock.unlock();
        }
    }

    /** A target that starts at the journal's end, or at its oldest value when new targets take what is kept. */
    private Target newTarget(String name, TagFilter filter) {
        long start = startNewTargetsAtOldest ? journal.firstSeq() : journal.nextSeq();
        Target target = new Target(this, name, filter, journal.position(start), new Counters(),
                startNewTargetsAtOldest ? journal.nextSeq() : start);
        if (startNewTargetsAtOldest) {
            target.routed = journal.nextSeq() - journal.firstSeq();
        }
        targets.put(name, target);
        return target;
    }

    void expect(String name, List<String> filterGlobs) {
        TagFilter filter = TagFilter.of(filterGlobs);
        doorLock.lock();
        try {
            Target target = targets.get(name);
            if (target == null) {
                target = newTarget(name, filter);
                LOG.info("Target {} is configured: values it takes are kept for it from now on ({})", name, filter);
            } else {
                target.expected(filter);
            }
            rebuildRouting();
        } finally {
            doorLock.unlock();
        }
    }

    void remove(String name) {
        Target target = targets.get(name);
        if (target != null) {
            target.markDeleted(clock.millis());
            LOG.info("Target {} was deleted: its cursor is released in {} unless it is configured again", name,
                    settings.releaseDeletedAfter());
        }
    }

    private void rebuildRouting() {
        routing = targets.values().toArray(new Target[0]);
    }

    private long oldestNeeded() {
        boolean persistent = journal.persistent();
        long oldest = journal.nextSeq();
        for (Target t : routing) {
            oldest = Math.min(oldest, t.neededFrom(persistent));
        }
        return oldest;
    }

    // ---------------------------------------------------------------- waiting

    /** Called by the appender: wakes readers once enough values arrived for one of them. */
    private void valuesAppended() {
        if (journal.nextSeq() >= wakeAt) {
            wakeReaders();
        }
    }

    void wakeReaders() {
        readersLock.lock();
        try {
            wakeAt = Long.MAX_VALUE;
            valuesArrived.signalAll();
        } finally {
            readersLock.unlock();
        }
    }

    /** Waits until the journal reaches {@code seq}, or {@code nanos} pass, or a reader is woken. */
    void awaitValues(long seq, long nanos) throws InterruptedException {
        readersLock.lock();
        try {
            if (journal.nextSeq() >= seq || !running) {
                return;
            }
            wakeAt = Math.min(wakeAt, seq);
            valuesArrived.awaitNanos(nanos);
        } finally {
            readersLock.unlock();
        }
    }

    void settledSomething() {
        if (!journal.persistent()) {
            signalRoom();
        }
    }

    private void signalRoom() {
        roomLock.lock();
        try {
            roomFreed.signalAll();
        } finally {
            roomLock.unlock();
        }
    }

    private void awaitRoom(long nanos) {
        roomLock.lock();
        try {
            roomFreed.awaitNanos(Math.min(nanos, TimeUnit.MILLISECONDS.toNanos(100)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            roomLock.unlock();
        }
    }

    private void awaitSyncIfWanted(long seq) {
        if (settings.sync() != SyncPolicy.ON_ACCEPT || !journal.persistent()) {
            return;
        }
        syncLock.lock();
        try {
            syncRequested = true;
            syncWanted.signal();
            while (syncedSeq < seq && running) {
                synced.awaitNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            syncLock.unlock();
        }
    }

    // ---------------------------------------------------------------- sync, ledger, release

    private void syncLoop() {
        long lastLedgerHead = -1;
        while (running) {
            syncLock.lock();
            try {
                if (!syncRequested) {
                    syncWanted.awaitNanos(settings.syncInterval().toNanos());
                }
                syncRequested = false;
            } catch (InterruptedException e) {
                return;
            } finally {
                syncLock.unlock();
            }
            try {
                lastLedgerHead = syncOnce(lastLedgerHead);
            } catch (IOException | RuntimeException e) {
                LOG.error("Journal: syncing or keeping the ledger failed: {}. Accepted values stay in the journal; "
                        + "check the disk of the data directory", e.toString());
            }
        }
    }

    /** Syncs the journal, writes the ledger if anything changed, and deletes what no target needs. */
    private long syncOnce(long lastLedgerHead) throws IOException {
        Ledger ledger = snapshot();
        if (journal.persistent()) {
            journal.force();
        }
        syncLock.lock();
        try {
            syncedSeq = ledger.headSeq();
            synced.signalAll();
        } finally {
            syncLock.unlock();
        }
        if (journal.persistent()) {
            ledger.save(ledgerDirectory);
        }
        releaseDeletedTargets();
        if (journal.releaseBefore(oldestNeeded()) > 0) {
            signalRoom();
        }
        if (journal.persistent() && fillPercent() >= SPILL_AT_PERCENT) {
            requestSpill();
        }
        Runnable action = onDrained;
        if (action != null && drained()) {
            onDrained = null;
            action.run();
        }
        return ledger.headSeq();
    }

    private Ledger snapshot() {
        doorLock.lock();
        try {
            List<LedgerTarget> entries = new ArrayList<>();
            for (Target t : targets.values()) {
                entries.add(t.ledgerEntry().withRouted(t.routed));
            }
            return new Ledger(journal.nextSeq(), offered, accepted, new EnumMap<>(refused), damagedBytes, entries);
        } finally {
            doorLock.unlock();
        }
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
            if (journal.releaseBefore(oldestNeeded()) > 0) {
                signalRoom();
            }
        }
        spillState = null;
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
            LOG.warn("Journal nearly full: {} oldest values of target {} moved to {}", values.size(), target.name,
                    file);
            return null;
        } catch (BackupException e) {
            spillState = new Diagnosis("SPILL_FAILING", "the journal is full and its oldest values cannot go to "
                    + "backup files either; the overflow policy applies. Free disk space", e.getMessage());
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
                journal.releaseBefore(oldestNeeded());
            } catch (IOException e) {
                LOG.error("Releasing journal segments failed: {}", e.toString());
            }
        }
        return dropped;
    }

    // ---------------------------------------------------------------- damage

    @Override
    public void damaged(io.tagbridge.buffer.journal.Segment segment, int offset, long bytes, long values,
            String what) {
        damagedBytes += bytes;
        lastDamageMillis = System.currentTimeMillis();
        LOG.error("Journal segment {} is damaged at byte {}: {} bytes ({} values) skipped: {}. A copy of the "
                + "segment is kept in journal/damaged; check the disk", segment, offset, bytes, values, what);
    }

    @Override
    public void unreadable(String file, String why) {
        unreadable.add(file + ": " + why);
        LOG.error("Journal segment {} cannot be read: {}. Its values are not forwarded. If a newer Tagbridge wrote "
                + "it, run that version to forward them; then delete it from journal/unreadable", file, why);
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
            targets.forEach((name, t) -> routedNow.put(name, t.routed));
        } finally {
            doorLock.unlock();
        }
        Map<String, TargetBacklog> backlogs = new LinkedHashMap<>();
        routedNow.forEach((name, routed) -> {
            Target t = targets.get(name);
            if (t != null) {
                backlogs.put(name, t.backlog(routed));
            }
        });
        double fill = fillPercent();
        return new BufferStatus(journal.persistent(), journal.nextSeq() - oldestNeeded(), journal.heldBytes(), fill,
                offeredNow, acceptedNow, refusedNow, damagedBytes, lastRefusal, backlogs, diagnosis(fill));
    }

    private Diagnosis diagnosis(double fill) {
        if (!unreadable.isEmpty()) {
            return new Diagnosis("JOURNAL_FORMAT_UNKNOWN", unreadable.size() + " journal segment(s) cannot be read "
                    + "and were moved, untouched, to journal/unreadable: their values are not forwarded. If a newer "
                    + "Tagbridge wrote them, run that version; then delete them there", String.join("; ", unreadable));
        }
        Diagnosis died = threadDeath;
        if (died != null && System.currentTimeMillis() - threadDeathMillis < Duration.ofMinutes(1).toMillis()) {
            return died;
        }
        Diagnosis spilling = spillState;
        if (spilling != null) {
            return spilling;
        }
        if (lastDamageMillis >= 0 && System.currentTimeMillis() - lastDamageMillis < Duration.ofMinutes(5).toMillis()) {
            return Diagnosis.of("JOURNAL_DAMAGED", damagedBytes + " damaged journal bytes were skipped (a copy is in "
                    + "journal/damaged); check the disk of the data directory");
        }
        if (!journal.persistent() && settings.journal()) {
            return Diagnosis.of("JOURNAL_OFF", "the journal could not be opened and values are kept in memory only: "
                    + "see the log");
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
        wakeReaders();
        signalRoom();
        try {
            syncThread.join(5_000);
            spillThread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            syncOnce(-1);
        } catch (IOException | RuntimeException e) {
            LOG.error("Journal: the last sync failed: {}", e.toString());
        }
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
