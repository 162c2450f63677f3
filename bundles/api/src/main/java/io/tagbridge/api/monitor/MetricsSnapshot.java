package io.tagbridge.api.monitor;

import java.time.Instant;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

import io.tagbridge.api.RefusalReason;
import io.tagbridge.api.pipeline.DropReason;
import io.tagbridge.api.pipeline.TargetState;

/**
 * What the pipeline did: first the seed's seven figures over the rolling window (or since start, when that is
 * shorter), then counters since start, in total and per target.
 *
 * @param windowSeconds         the length of the rolling window
 * @param averageBatchSize      values per committed batch
 * @param averageWriteLatencyMs time from the start of a write to its commit, per committed batch
 * @param throughputPerSecond   values committed per second
 * @param writeSuccessCount     batches committed
 * @param writeFailureCount     write attempts that failed (a batch retried three times counts three)
 * @param successRatePercent    successes out of all attempts; 100 when nothing was attempted
 * @param totals                counters since start, over all targets
 * @param targets               counters since start per target, by target name
 * @param percentiles           latencies over the window, over all targets
 */
@ProviderType
public record MetricsSnapshot(
        int windowSeconds,
        double averageBatchSize,
        double averageWriteLatencyMs,
        double throughputPerSecond,
        long writeSuccessCount,
        long writeFailureCount,
        double successRatePercent,
        Totals totals,
        Map<String, Target> targets,
        Percentiles percentiles) {

    public MetricsSnapshot {
        targets = Map.copyOf(targets);
    }

    /**
     * Latencies over the window, from committed batches: 0 when nothing was committed in it.
     *
     * @param writeLatencyP50Ms    median time one batch took to commit
     * @param writeLatencyP99Ms    99th percentile of the same
     * @param sourceToCommitP50Ms  median time from a value's source time to its commit
     * @param sourceToCommitP99Ms  99th percentile of the same
     */
    @ProviderType
    public record Percentiles(double writeLatencyP50Ms, double writeLatencyP99Ms, double sourceToCommitP50Ms,
            double sourceToCommitP99Ms) {
    }

    /**
     * At the door, {@code valuesOffered = valuesAccepted + valuesRefused + valuesFiltered}. For each target, every
     * value it takes ends as written, already stored, backed up or dropped, or is still in its backlog.
     *
     * @param valuesOffered       values drivers and producers offered
     * @param valuesAccepted      values taken
     * @param valuesRefused       values refused at the door
     * @param refused             values refused at the door, by reason
     * @param valuesWritten       rows committed, over all targets
     * @param valuesAlreadyStored values whose row a target's table held already (retries, replays), over all targets
     * @param valuesBackedUp      values saved to backup files, over all targets
     * @param valuesDropped       values given up, over all targets
     * @param valuesConflicting   values that met another value stored for their tag and source time, since start
     * @param valuesReplayed      values replayed from backup files into the database, since start
     * @param valuesQuarantined   values the database refused again on replay, set aside in quarantine, since start
     * @param backlog             values not yet settled, over all targets
     * @param journal             whether values are kept in the journal on disk (else in memory)
     * @param journalBytes        bytes the journal takes
     * @param journalDamagedBytes journal bytes found damaged and skipped
     * @param bufferDepth         values held: from the oldest one a target still needs to the newest
     * @param bufferFillPercent   how full the buffer is, against its maximum size (or capacity, journal off)
     * @param backupPendingFiles  backup files waiting to be replayed
     * @param backupPendingValues values in them not yet replayed
     * @param backupQuarantinedFiles files in quarantine
     * @param backupBytes         the backup folder's size
     * @param lastSuccessfulWrite when any target last committed, null if never
     * @param uncleanStops        starts that found the stop before them unclean (a power cut, a crash, a kill),
     *                            since the journal began (since 2.1)
     * @param dropped             {@code valuesDropped} by reason, every reason present, zero when none; it counts the
     *                            targets released after their configuration was deleted too (since 2.1)
     * @param valuesClockSuspect  values accepted whose source time the clock guard found suspect, stored at their
     *                            received time or as they came, since start (since 2.2)
     * @param dataDiskFreeBytes   bytes free for the gateway on the disk of its data directory (journal, backups,
     *                            database files by default); -1 when unknown (since 2.2)
     * @param valuesFiltered      values taken at the door but not stored, because they changed less than their
     *                            tag's deadband; {@code valuesOffered = valuesAccepted + valuesRefused +
     *                            valuesFiltered} (since 2.2)
     * @param backupExpiredValues values of pending backup files that expired since the start (older than their
     *                            target keeps values), dropped or archived; they were counted as backed up before
     *                            (since 2.2)
     * @param backupArchivedFiles files in the backup folder's {@code archive/} (since 2.2)
     */
    @ProviderType
    public record Totals(long valuesOffered, long valuesAccepted, long valuesRefused, Map<RefusalReason, Long> refused,
            long valuesWritten, long valuesAlreadyStored, long valuesBackedUp, long valuesDropped,
            long valuesConflicting, long valuesReplayed, long valuesQuarantined, long backlog, boolean journal,
            long journalBytes, long journalDamagedBytes, long bufferDepth, double bufferFillPercent,
            int backupPendingFiles, long backupPendingValues, int backupQuarantinedFiles, long backupBytes,
            Instant lastSuccessfulWrite, long uncleanStops, Map<DropReason, Long> dropped, long valuesClockSuspect,
            long dataDiskFreeBytes, long valuesFiltered, long backupExpiredValues, int backupArchivedFiles) {

        public Totals {
            refused = Map.copyOf(refused);
            dropped = Map.copyOf(dropped);
        }

        /** The totals of 2.1, which had no clock guard. */
        public Totals(long valuesOffered, long valuesAccepted, long valuesRefused, Map<RefusalReason, Long> refused,
                long valuesWritten, long valuesAlreadyStored, long valuesBackedUp, long valuesDropped,
                long valuesConflicting, long valuesReplayed, long valuesQuarantined, long backlog, boolean journal,
                long journalBytes, long journalDamagedBytes, long bufferDepth, double bufferFillPercent,
                int backupPendingFiles, long backupPendingValues, int backupQuarantinedFiles, long backupBytes,
                Instant lastSuccessfulWrite, long uncleanStops, Map<DropReason, Long> dropped) {
            this(valuesOffered, valuesAccepted, valuesRefused, refused, valuesWritten, valuesAlreadyStored,
                    valuesBackedUp, valuesDropped, valuesConflicting, valuesReplayed, valuesQuarantined, backlog,
                    journal, journalBytes, journalDamagedBytes, bufferDepth, bufferFillPercent, backupPendingFiles,
                    backupPendingValues, backupQuarantinedFiles, backupBytes, lastSuccessfulWrite, uncleanStops,
                    dropped, 0, -1, 0, 0, 0);
        }

        /** The totals of 2.0, which did not count unclean stops. */
        public Totals(long valuesOffered, long valuesAccepted, long valuesRefused, Map<RefusalReason, Long> refused,
                long valuesWritten, long valuesAlreadyStored, long valuesBackedUp, long valuesDropped,
                long valuesConflicting, long valuesReplayed, long valuesQuarantined, long backlog, boolean journal,
                long journalBytes, long journalDamagedBytes, long bufferDepth, double bufferFillPercent,
                int backupPendingFiles, long backupPendingValues, int backupQuarantinedFiles, long backupBytes,
                Instant lastSuccessfulWrite) {
            this(valuesOffered, valuesAccepted, valuesRefused, refused, valuesWritten, valuesAlreadyStored,
                    valuesBackedUp, valuesDropped, valuesConflicting, valuesReplayed, valuesQuarantined, backlog,
                    journal, journalBytes, journalDamagedBytes, bufferDepth, bufferFillPercent, backupPendingFiles,
                    backupPendingValues, backupQuarantinedFiles, backupBytes, lastSuccessfulWrite, 0, Map.of(), 0, -1, 0, 0, 0);
        }
    }

    /**
     * One target: what became of the values it takes (since the journal began), and its rolling figures.
     *
     * @param state                  what it is doing now
     * @param valuesWritten          rows it committed
     * @param valuesAlreadyStored    values whose row its table held already
     * @param valuesBackedUp         values saved to backup files for it
     * @param valuesDropped          values given up for it
     * @param dropped                the same, by reason
     * @param valuesConflicting      values that met another value stored for their tag and source time, since start
     * @param valuesReplayed         values replayed from its backup files, since start
     * @param valuesQuarantined      values of its backup files the database refused again, since start
     * @param backlog                values it has not settled yet
     * @param backlogBytes           journal bytes from its oldest unsettled value on
     * @param oldestUnsentAgeSeconds how long its oldest unsettled value has waited; 0 without backlog
     * @param writeSuccessCount      batches committed in the window
     * @param writeFailureCount      failed attempts in the window
     * @param averageWriteLatencyMs  per committed batch, in the window
     * @param throughputPerSecond    values committed per second, in the window
     * @param lastSuccessfulWrite    when it last committed, null if never (since start)
     * @param percentiles            its latencies over the window
     */
    @ProviderType
    public record Target(TargetState state, long valuesWritten, long valuesAlreadyStored, long valuesBackedUp,
            long valuesDropped, Map<DropReason, Long> dropped, long valuesConflicting, long valuesReplayed,
            long valuesQuarantined, long backlog, long backlogBytes,
            double oldestUnsentAgeSeconds, long writeSuccessCount, long writeFailureCount,
            double averageWriteLatencyMs, double throughputPerSecond, Instant lastSuccessfulWrite,
            Percentiles percentiles) {

        public Target {
            dropped = Map.copyOf(dropped);
        }
    }
}
