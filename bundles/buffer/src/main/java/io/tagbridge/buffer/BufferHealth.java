package io.tagbridge.buffer;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

import io.tagbridge.api.pipeline.Diagnosis;
import io.tagbridge.api.pipeline.UncleanStop;
import io.tagbridge.buffer.journal.Journal;

/**
 * What health says about the buffer, most urgent first: values refused because the journal cannot be written or
 * synced, a journal of an unknown format, a background thread that died, spilling, damage found, suspect source
 * times, an unclean stop before this start, and otherwise where values are kept.
 */
final class BufferHealth {

    /** How long health says that the stop before this start was unclean. */
    private static final Duration UNCLEAN_STOP_SHOWN = Duration.ofMinutes(5);

    private final Journal journal;
    private final JournalDamage damage;
    private final JournalSync sync;
    private final Spilling spilling;
    private final ClockGuard clockGuard;
    private final Supplier<BufferSettings> settings;
    private final Clock clock;
    private volatile Diagnosis unavailable;
    private volatile Diagnosis writeFailure;
    private volatile UncleanStop uncleanStop;

    BufferHealth(Journal journal, JournalDamage damage, JournalSync sync, Spilling spilling, ClockGuard clockGuard,
            Supplier<BufferSettings> settings, Clock clock) {
        this.journal = journal;
        this.damage = damage;
        this.sync = sync;
        this.spilling = spilling;
        this.clockGuard = clockGuard;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Every value is refused from now on, with {@code why}: the journal is configured on but cannot be opened, and
     * values may not be kept in memory instead.
     */
    void refuseAll(Diagnosis why) {
        unavailable = why;
    }

    /** Why every value is refused, or null. */
    Diagnosis refusingAll() {
        return unavailable;
    }

    /** The last append failed ({@code why}), or succeeded (null). */
    void writeFailure(Diagnosis why) {
        writeFailure = why;
    }

    void uncleanStop(UncleanStop stop) {
        uncleanStop = stop;
    }

    UncleanStop uncleanStop() {
        return uncleanStop;
    }

    Diagnosis diagnosis() {
        Diagnosis down = journalUnavailable();
        if (down != null) {
            return down;
        }
        Diagnosis unknown = damage.formatUnknown();
        if (unknown != null) {
            return unknown;
        }
        Diagnosis died = LoopThread.recentDeath(sync.loopThread(), spilling.loopThread());
        if (died != null) {
            return died;
        }
        Diagnosis spilled = spilling.recentState();
        if (spilled != null) {
            return spilled;
        }
        Diagnosis damaged = damage.recentDamage();
        if (damaged != null) {
            return damaged;
        }
        Diagnosis clocks = clockGuard.recent(clock.instant());
        if (clocks != null) {
            return clocks;
        }
        UncleanStop unclean = uncleanStop;
        if (unclean != null && clock.millis() - unclean.detectedAt().toEpochMilli() < UNCLEAN_STOP_SHOWN.toMillis()) {
            return Diagnosis.of("UNCLEAN_STOP", "the gateway did not stop in order the last time (a power cut, a crash "
                    + "or a kill): values accepted after the journal's last sync to disk ("
                    + (unclean.lastSync() == null ? "time unknown" : unclean.lastSync()) + ") may have been lost if "
                    + "the power was cut; values answered as durable were not. If it was a power cut, check the "
                    + "gateway's power supply");
        }
        if (!journal.persistent() && settings.get().journal()) {
            return Diagnosis.of("JOURNAL_OFF", "the journal could not be opened and values are kept in memory only "
                    + "(whenJournalUnavailable=MEMORY): a crash or a power cut loses them. See the log, fix the data "
                    + "directory (space, permissions); the journal is tried again every few seconds");
        }
        return Diagnosis.of(journal.persistent() ? "JOURNALING" : "IN_MEMORY", journal.persistent()
                ? "values are in the journal on disk" : "the journal is off: values are in memory only");
    }

    /** Why values cannot be kept as configured now, or null when they can. */
    private Diagnosis journalUnavailable() {
        Diagnosis down = unavailable;
        if (down != null) {
            return down;
        }
        Diagnosis syncing = sync.trouble();
        return syncing != null ? syncing : writeFailure;
    }
}
