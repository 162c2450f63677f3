package io.tagbridge.buffer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.pipeline.BackupException;
import io.tagbridge.api.pipeline.BatchBackup;
import io.tagbridge.api.pipeline.Diagnosis;
import io.tagbridge.api.pipeline.DropReason;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.buffer.journal.Journal;

/**
 * Makes room in a full buffer. Its thread moves the oldest values of the target that lags most to backup files
 * while the journal is nearly full, so that a dead target does not make the live ones refuse values; the overflow
 * policy DROP_OLDEST gives up the oldest values instead; and a journal in memory that stops gives each target's
 * unsettled values to the backup. Every {@link Expiry#EVERY} its thread also takes out what targets keep no longer.
 */
final class Spilling {

    private static final Logger LOG = LoggerFactory.getLogger(Spilling.class);
    static final double SPILL_AT_PERCENT = 90;
    static final int CHUNK = 10_000;
    /** What the last spill round did is shown this long, so that an operator sees it happened. */
    private static final Duration STATE_SHOWN = Duration.ofMinutes(5);

    private final Journal journal;
    private final Door door;
    private final Retention retention;
    private final Supplier<BatchBackup> backup;
    private final Supplier<BufferSettings> settings;
    private final Clock clock;
    private final Expiry expiry;
    private long expiredAt;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wanted = lock.newCondition();
    private boolean requested;
    private volatile Diagnosis state;
    private volatile long stateMillis;
    private volatile boolean running = true;
    private LoopThread thread;

    /** @param backup the backup service of the moment, or null while there is none */
    Spilling(Journal journal, Door door, Retention retention, Supplier<BatchBackup> backup,
            Supplier<BufferSettings> settings, Clock clock, Expiry expiry) {
        this.expiry = expiry;
        this.journal = journal;
        this.door = door;
        this.retention = retention;
        this.backup = backup;
        this.settings = settings;
        this.clock = clock;
    }

    void start() {
        thread = new LoopThread("tagbridge-journal-spill", this::loop, () -> running);
    }

    void request() {
        lock.lock();
        try {
            requested = true;
            wanted.signal();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        while (running) {
            lock.lock();
            try {
                long waitNanos = Expiry.EVERY.toNanos();
                while (!requested && running && waitNanos > 0) {
                    waitNanos = wanted.awaitNanos(waitNanos);
                }
                requested = false;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                spillWhileFull();
                if (System.nanoTime() - expiredAt >= Expiry.EVERY.toNanos()) {
                    expiredAt = System.nanoTime();
                    expiry.round();
                }
            } catch (InterruptedException e) {
                return;
            } catch (BackupException | IOException | RuntimeException e) {
                LOG.error("Journal: spilling to backup files failed: {}. When the journal is full, the overflow "
                        + "policy applies", e.getMessage());
            }
        }
    }

    private void spillWhileFull() throws InterruptedException, BackupException, IOException {
        while (running && journal.persistent() && (fillPercent() >= SPILL_AT_PERCENT - 10
                || journal.limitReached() != null)) {
            Target laggard = mostLagging();
            if (laggard == null) {
                return;
            }
            int moved = laggard.takeOldest(CHUNK, Long.MAX_VALUE, 5_000, this::spill);
            if (moved <= 0) {
                return;
            }
            retention.release();
        }
    }

    private DropReason spill(String target, List<ReceivedValue> values) throws BackupException {
        BatchBackup to = backup.get();
        if (to == null) {
            throw new BackupException("the backup service is not running", null);
        }
        String why = "the journal was full (" + (journal.limitReached() == null ? "over "
                + (int) SPILL_AT_PERCENT + " %" : journal.limitReached()) + "); target " + target
                + " lagged most, and its oldest values were moved to backup";
        try {
            Path file = to.save(target, values, why);
            state = Diagnosis.of("SPILLING", "the journal is nearly full: the oldest values of target "
                    + target + ", which lags most, go to backup files (last: " + file.getFileName() + ")");
            stateMillis = clock.millis();
            LOG.warn("Journal nearly full: {} oldest values of target {} moved to {}", values.size(), target, file);
            return null;
        } catch (BackupException e) {
            state = new Diagnosis("SPILL_FAILING", "the journal is full and its oldest values cannot go to "
                    + "backup files either; the overflow policy applies. Free disk space", e.getMessage());
            stateMillis = clock.millis();
            throw e;
        }
    }

    /** The target that needs the oldest values, or null when every target has settled everything. */
    private Target mostLagging() {
        boolean persistent = journal.persistent();
        Target laggard = null;
        long oldest = Long.MAX_VALUE;
        for (Target t : door.routing()) {
            long from = t.neededFrom(persistent);
            if (from < oldest && from < journal.nextSeq()) {
                oldest = from;
                laggard = t;
            }
        }
        return laggard;
    }

    /** How full the buffer is: in values against its capacity in memory, in bytes the laggard holds on disk. */
    double fillPercent() {
        BufferSettings current = settings.get();
        if (!journal.persistent()) {
            return 100.0 * (journal.nextSeq() - door.oldestNeeded()) / current.capacity();
        }
        Target laggard = mostLagging();
        long held = laggard == null ? 0 : laggard.bytesNeeded();
        return Math.min(100, 100.0 * held / current.maxBytes());
    }

    /** What spilling did lately, shown in health for five minutes; null when it did nothing. */
    Diagnosis recentState() {
        Diagnosis spilled = state;
        return spilled != null && clock.millis() - stateMillis < STATE_SHOWN.toMillis() ? spilled
                : expiry.recentState();
    }

    /** Overflow policy DROP_OLDEST: gives up the oldest values, for every target that still needs them. */
    boolean dropOldest(int room) {
        long from = door.oldestNeeded();
        long until = journal.persistent() ? Math.max(from + room, journal.endOfSegmentAt(from)) : from + room;
        boolean dropped = false;
        for (Target t : door.routing()) {
            try {
                if (t.settledSeq() < until
                        && t.takeOldest(Integer.MAX_VALUE, until, 1_000, (x, v) -> DropReason.OVERFLOW) > 0) {
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
            door.noteLastRefusal("the buffer was full: the oldest values were discarded (overflowPolicy DROP_OLDEST)");
            try {
                retention.release();
            } catch (IOException e) {
                LOG.error("Releasing journal segments failed: {}", e.toString());
            }
        }
        return dropped;
    }

    /** The thread, for health to say when it died. */
    LoopThread loopThread() {
        return thread;
    }

    /** Tells the thread to stop and wakes it: it moves no further chunk once the one in hand is saved. */
    void halt() {
        running = false;
        thread.interrupt();
    }

    /** Waits for the thread to end, after {@link #halt()}. */
    void join() {
        thread.join();
    }

    /** A journal in memory stopped: every target's unsettled values go to the backup, or are logged as lost. */
    void backUpUnsettled() {
        for (Target t : door.all()) {
            t.forEachUnsettled(CHUNK, values -> {
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
}
