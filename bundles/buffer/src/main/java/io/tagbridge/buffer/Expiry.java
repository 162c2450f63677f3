package io.tagbridge.buffer;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;
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
 * Takes out the values a target keeps no longer (its {@link Retain}): the oldest ones, from the head of its backlog,
 * counted as dropped ({@code EXPIRED}), archived first if it wants, and then its backup files of that age. Ages
 * count the time that passed on the gateway ({@link ClockJumps}). An archive that cannot be written takes nothing
 * out: the values stay where they are until it can.
 */
final class Expiry {

    private static final Logger LOG = LoggerFactory.getLogger(Expiry.class);
    /** Values taken out at a time, so that the target's writer waits no longer than for a spill. */
    private static final int CHUNK = 10_000;
    /** How often the spilling thread looks for values to expire. */
    static final Duration EVERY = Duration.ofSeconds(5);
    /** What expired lately is shown this long, so that an operator sees it happened. */
    private static final Duration STATE_SHOWN = Duration.ofMinutes(5);

    private final Journal journal;
    private final Door door;
    private final Retention retention;
    private final Supplier<BatchBackup> backup;
    private final LongSupplier nowMicros;
    private final Clock clock;
    private volatile Diagnosis state;
    private volatile long stateMillis;
    private String lastFailure = "";

    Expiry(Journal journal, Door door, Retention retention, Supplier<BatchBackup> backup, LongSupplier nowMicros,
            Clock clock) {
        this.journal = journal;
        this.door = door;
        this.retention = retention;
        this.backup = backup;
        this.nowMicros = nowMicros;
        this.clock = clock;
    }

    /** One look at every target that keeps values for a limited time. */
    void round() throws InterruptedException, IOException {
        long now = nowMicros.getAsLong();
        ClockJumps jumps = door.observeClock(now);
        boolean released = false;
        for (Target target : door.routing()) {
            Retain retain = target.retain;
            if (retain == null) {
                continue;
            }
            long maxAge = retain.maxAge().toNanos() / 1000;
            long fromJournal = 0;
            try {
                fromJournal = fromJournal(target, retain, seq -> now - maxAge - jumps.after(seq));
                released |= fromJournal > 0;
                BatchBackup to = backup.get();
                long fromFiles = to == null ? 0 : to.expire(target.name,
                        ReceivedValue.instant(jumps.receivedCutoff(now, maxAge)), retain.archive());
                if (fromJournal + fromFiles > 0) {
                    expired(target, retain, fromJournal, fromFiles);
                }
                lastFailure = "";
            } catch (BackupException e) {
                if (fromJournal > 0) {
                    expired(target, retain, fromJournal, 0);
                }
                if (!e.getMessage().equals(lastFailure)) {
                    LOG.error("Target {}: values older than {} h could not be archived, so they stay where they are "
                            + "until they can: {}", target.name, hours(retain), e.getMessage());
                }
                lastFailure = e.getMessage();
            }
        }
        if (released) {
            retention.release();
        }
    }

    private long fromJournal(Target target, Retain retain, LongUnaryOperator cutoff)
            throws InterruptedException, BackupException {
        long expired = 0;
        while (true) {
            long settled = target.settledSeq();
            long until = journal.firstReceivedFrom(settled, cutoff);
            if (until <= settled) {
                return expired;
            }
            int taken = target.takeOldest(CHUNK, until, 5_000, (t, values) -> archive(t, values, retain));
            if (taken < 0 || target.settledSeq() == settled) {
                return expired;
            }
            expired += taken;
        }
    }

    private DropReason archive(String target, List<ReceivedValue> values, Retain retain) throws BackupException {
        if (retain.archive() && !values.isEmpty()) {
            BatchBackup to = backup.get();
            if (to == null) {
                throw new BackupException("the backup service, which keeps the archive, is not running", null);
            }
            to.archive(target, values, "accepted more than " + hours(retain) + " h ago (maxAgeHours of target "
                    + target + ")");
        }
        return DropReason.EXPIRED;
    }

    private void expired(Target target, Retain retain, long fromJournal, long fromFiles) {
        String where = retain.archive() ? "moved to archive files" : "dropped";
        state = Diagnosis.of("EXPIRED", "target " + target.name + ": " + (fromJournal + fromFiles) + " values "
                + "accepted more than " + hours(retain) + " h ago were " + where + " (maxAgeHours), " + fromJournal
                + " from the journal and " + fromFiles + " from backup files: the database has been away longer "
                + "than the target keeps values. Raise maxAgeHours to keep them longer");
        stateMillis = clock.millis();
        LOG.warn("Target {}: {} values accepted more than {} h ago {}: {} from the journal, {} from backup files",
                target.name, fromJournal + fromFiles, hours(retain), where, fromJournal, fromFiles);
    }

    private static String hours(Retain retain) {
        double hours = retain.maxAge().toMillis() / 3_600_000.0;
        return hours == Math.rint(hours) ? Long.toString((long) hours) : Double.toString(hours);
    }

    /** What expired lately, shown in health for five minutes; null when nothing did. */
    Diagnosis recentState() {
        Diagnosis expired = state;
        return expired != null && clock.millis() - stateMillis < STATE_SHOWN.toMillis() ? expired : null;
    }
}
