package io.tagbridge.buffer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.IngestResult;
import io.tagbridge.api.RefusalReason;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.BatchBackup;
import io.tagbridge.api.pipeline.BufferStatus;
import io.tagbridge.api.pipeline.Diagnosis;
import io.tagbridge.api.pipeline.TargetCursor;
import io.tagbridge.buffer.journal.Journal;
import io.tagbridge.buffer.journal.Storage;

/**
 * The buffer: a journal every target reads through a cursor of its own, behind a door that counts every value
 * ({@link Door}), with a sync thread that syncs the journal, keeps the ledger and deletes what every target is done
 * with ({@link JournalSync}, {@link Retention}), and a spill thread that makes room when it is full
 * ({@link Spilling}). This class puts them together and applies the overflow policy.
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

    private final Journal journal;
    private final Path ledgerDirectory;
    private final LongSupplier nowMicros;
    private final LongSupplier nanos;
    private final Clock clock;
    private volatile BufferSettings settings;
    private final boolean startNewTargetsAtOldest;
    private final long uncleanStops;
    private final Signals signals;
    private final JournalDamage damage;
    private final Door door;
    private final JournalSync sync;
    private final Retention retention;
    private final Spilling spilling;
    private final Expiry expiry;
    private final StorageChange storageChange;
    private final BufferHealth health;
    private final ClockGuard clockGuard = new ClockGuard(() -> settings.clock());

    private JournalBuffer(BufferSettings settings, Storage storage, Path ledgerDirectory,
            Supplier<BatchBackup> backup, LongSupplier nowMicros, Clock clock, LongSupplier nanos) throws IOException {
        this.settings = settings;
        this.ledgerDirectory = ledgerDirectory;
        this.nowMicros = nowMicros;
        this.nanos = nanos;
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
        this.door = new Door(journal, signals, new ClockJumps(nanos));
        Recovery.restore(ledger, journal, signals, door, damage);
        this.sync = new JournalSync(journal, nowMicros, this::settings);
        this.retention = new Retention(journal, door, signals, sync);
        this.expiry = new Expiry(journal, door, retention, backup, nowMicros, clock);
        this.spilling = new Spilling(journal, door, retention, backup, this::settings, clock, expiry);
        this.storageChange = new StorageChange(journal, door);
        this.health = new BufferHealth(journal, damage, sync, spilling, clockGuard, this::settings, clock);
        if (journal.persistent()) {
            Recovery.LastRun lastRun = Recovery.lastRun(ledger, journal, clock);
            uncleanStops = lastRun.uncleanStops();
            health.uncleanStop(lastRun.uncleanStop());
            // noted on disk before the first value is accepted: this run has not stopped yet
            Ledger running = door.snapshot(false, damage.bytes(), uncleanStops, startNewTargetsAtOldest);
            running.save(ledgerDirectory);
            retention.saved(running);
        } else {
            uncleanStops = 0;
        }
        sync.start(() -> round(false));
        spilling.start();
    }

    /** @param backup the backup service of the moment, or null while there is none: spilled values go there */
    static JournalBuffer open(BufferSettings settings, Storage storage, Path ledgerDirectory,
            Supplier<BatchBackup> backup, LongSupplier nowMicros, Clock clock) throws IOException {
        return open(settings, storage, ledgerDirectory, backup, nowMicros, clock, System::nanoTime);
    }

    /** @param nanos the monotonic clock, against which jumps of {@code nowMicros} are seen */
    static JournalBuffer open(BufferSettings settings, Storage storage, Path ledgerDirectory,
            Supplier<BatchBackup> backup, LongSupplier nowMicros, Clock clock, LongSupplier nanos)
            throws IOException {
        return new JournalBuffer(settings, storage, ledgerDirectory, backup, nowMicros, clock, nanos);
    }

    private BufferSettings settings() {
        return settings;
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

    /** Runs {@code action} once, as soon as every target has settled everything durably (see StorageChange). */
    void whenDrained(Runnable action) {
        storageChange.whenDrained(action);
    }

    /**
     * Offers values: returns once they are in the journal, or with {@code sync=ON_ACCEPT} once they are on disk.
     */
    IngestResult offer(List<TagValue> values) {
        if (settings.sync() == SyncPolicy.ON_ACCEPT && journal.persistent()) {
            return offerDurably(values).toCompletableFuture().join();
        }
        return append(values).answer();
    }

    /**
     * Offers values and completes once they are on disk (see {@link io.tagbridge.api.TagIngest#offerDurably}).
     * Never completes exceptionally; callbacks run on the acknowledging thread or the caller's, never on the sync
     * thread.
     */
    CompletionStage<IngestResult> offerDurably(List<TagValue> values) {
        Appended appended = append(values);
        IngestResult answer = appended.answer();
        if (!answer.allAccepted() || !journal.persistent() || values.isEmpty()) {
            return CompletableFuture.completedFuture(answer);
        }
        if (answer.filtered() == 0) {
            return sync.awaitSync(appended.upTo(), answer.accepted());
        }
        return sync.awaitSync(appended.upTo(), answer.accepted()).thenApply(r -> r.withFiltered(answer.filtered()));
    }

    /** What an append came to: the answer, and the sequence number after its last value when it was accepted. */
    private record Appended(IngestResult answer, long upTo) {

        static Appended refused(IngestResult refusal) {
            return new Appended(refusal, -1);
        }
    }

    /** Appends through the door; while the buffer is full, the overflow policy decides. */
    private Appended append(List<TagValue> values) {
        int n = values.size();
        if (n == 0) {
            return new Appended(IngestResult.accepted(0), sync.syncedSeq());
        }
        Diagnosis down = health.refusingAll();
        if (down != null) {
            return Appended.refused(door.refuse(n, RefusalReason.JOURNAL_UNAVAILABLE, down.advice()));
        }
        long received = nowMicros.getAsLong();
        long receivedNanos = nanos.getAsLong();
        ClockGuard.Checked checked = clockGuard.check(values, received);
        if (checked.refusal() != null) {
            return Appended.refused(door.refuse(n, RefusalReason.CLOCK_SUSPECT, checked.refusal()));
        }
        return append(checked.values(), received, receivedNanos);
    }

    /** @param receivedNanos the monotonic clock when {@code received} was read, so that the two always pair */
    private Appended append(List<TagValue> values, long received, long receivedNanos) {
        int n = values.size();
        long deadline = System.nanoTime() + settings.blockTimeoutNanos();
        while (true) {
            Door.Entry entry;
            try {
                entry = door.enter(values, received, receivedNanos, settings.capacity(), settings.deadband());
            } catch (IOException e) {
                health.writeFailure(new Diagnosis("JOURNAL_UNAVAILABLE", "the journal cannot be written, so values "
                        + "are refused: free space on the disk of the data directory or fix its permissions; values "
                        + "are taken again as soon as it can be written", e.toString()));
                return Appended.refused(door.refuse(n, RefusalReason.JOURNAL_UNAVAILABLE, "the journal cannot be "
                        + "written (" + e.getMessage() + "): free space on the disk of the data directory, or fix "
                        + "its permissions; offer the values again later"));
            }
            if (entry.refusal() != null) {
                return Appended.refused(entry.refusal());
            }
            if (!entry.full()) {
                if (entry.filtered() < n) {
                    health.writeFailure(null);
                    signals.valuesAppended();
                }
                return new Appended(IngestResult.accepted(n - entry.filtered()).withFiltered(entry.filtered()),
                        entry.upTo());
            }
            spilling.request();
            BufferSettings current = settings;
            switch (current.policy()) {
                case REJECT_NEWEST -> {
                    return Appended.refused(door.refuse(n, RefusalReason.BUFFER_FULL, fullMessage("")));
                }
                case DROP_OLDEST -> {
                    if (!spilling.dropOldest(n)) {
                        return Appended.refused(door.refuse(n, RefusalReason.BUFFER_FULL,
                                fullMessage(" (nothing could be dropped)")));
                    }
                }
                case BLOCK -> {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return Appended.refused(door.refuse(n, RefusalReason.BUFFER_FULL, fullMessage(" (waited "
                                + TimeUnit.NANOSECONDS.toMillis(current.blockTimeoutNanos()) + " ms)")));
                    }
                    signals.awaitRoom(left);
                }
            }
        }
    }

    private String fullMessage(String waited) {
        String why = journal.persistent() ? journal.limitReached() : null;
        return "the buffer is full" + (why == null ? " (" + settings.capacity() + " values)" : ": " + why)
                + ". The database is not keeping up or is unreachable, and spilling to backup files did not free "
                + "enough room; see /api/buffer/health" + waited;
    }

    void countRefused(int n, RefusalReason reason, String detail) {
        door.refuse(n, reason, detail);
    }

    TargetCursor open(String name, List<String> filterGlobs) {
        TagFilter filter = TagFilter.of(filterGlobs);
        Target target = knownOrRecorded(name, filter, "it takes values offered from now on");
        door.reopen(target, filter);
        return target;
    }

    void expect(String name, List<String> filterGlobs) {
        TagFilter filter = TagFilter.of(filterGlobs);
        door.expected(knownOrRecorded(name, filter, "values it takes are kept for it from now on"), filter);
    }

    /**
     * The target by name. A new one is written into the ledger on disk before any value is routed to it: had a
     * value been routed to a target the ledger does not know, a power cut would leave that value in the journal
     * with no target to read it.
     */
    private Target knownOrRecorded(String name, TagFilter filter, String what) {
        Door.Found found = door.findOrAdd(name, filter);
        if (!found.isNew()) {
            return found.target();
        }
        if (journal.persistent()) {
            sync.awaitRound();
        }
        door.startRecorded(found.target(), startNewTargetsAtOldest);
        LOG.info("Target {} is new: {} ({})", name, what, filter);
        return found.target();
    }

    void remove(String name) {
        Target target = door.get(name);
        if (target != null) {
            target.markDeleted(clock.millis());
            LOG.info("Target {} was deleted: its cursor is released in {} unless it is configured again", name,
                    settings.releaseDeletedAfter());
        }
    }

    /**
     * The periodic round: syncs the journal, notes on disk when, writes the ledger, and deletes the segments the
     * ledger on disk no longer needs. The ledger is taken before the sync, so that it never counts a value the
     * disk may not hold.
     */
    private void round(boolean cleanStop) throws IOException {
        Ledger ledger = door.snapshot(cleanStop, damage.bytes(), uncleanStops, startNewTargetsAtOldest);
        long began = sync.syncNow();
        if (journal.persistent()) {
            journal.markSynced(began);
            ledger.save(ledgerDirectory);
            retention.saved(ledger);
        }
        door.releaseDeleted(clock.millis(), settings.releaseDeletedAfter());
        retention.releaseNow();
        if (journal.persistent() && spilling.fillPercent() >= Spilling.SPILL_AT_PERCENT) {
            spilling.request();
        }
        storageChange.step();
    }

    /** An expiry round now, rather than at the spilling thread's next (for tests that set the clocks). */
    void expireNow() throws InterruptedException, IOException {
        expiry.round();
    }

    double fillPercent() {
        return spilling.fillPercent();
    }

    BufferStatus status() {
        Door.Counts counts = door.counts();
        return new BufferStatus(journal.persistent(), journal.nextSeq() - door.oldestNeeded(), journal.heldBytes(),
                spilling.fillPercent(), counts.offered(), counts.accepted(), counts.refused(), damage.bytes(),
                counts.lastRefusal(), counts.backlogs(), health.diagnosis(), uncleanStops, health.uncleanStop(),
                clockGuard.suspectValues(), counts.filtered());
    }

    /** See {@link BufferHealth#refuseAll}. */
    void refuseAll(Diagnosis why) {
        health.refuseAll(why);
    }

    /**
     * Stops: a journal on disk is synced and its ledger written, so that the next start goes on from here. A journal
     * in memory gives each target's unsettled values to the backup.
     */
    @Override
    public void close() {
        if (!door.stop()) {
            return;
        }
        // Both loops are told at once, as the door closed: the spill thread moves no value the last ledger misses.
        sync.halt();
        spilling.halt();
        signals.stop();
        sync.join();
        spilling.join();
        try {
            round(true);
        } catch (IOException | RuntimeException e) {
            LOG.error("Journal: the last sync failed: {}. The next start counts this stop as unclean",
                    e.toString());
        }
        sync.close("the buffer stopped before the values were synced to disk; offer them again once Tagbridge "
                + "is running (offering again is safe)");
        if (!journal.persistent()) {
            spilling.backUpUnsettled();
        }
        journal.close();
    }
}
