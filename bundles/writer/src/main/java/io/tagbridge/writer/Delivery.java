package io.tagbridge.writer;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.failsafe.CircuitBreaker;
import dev.failsafe.Execution;
import dev.failsafe.RetryPolicy;
import io.tagbridge.api.pipeline.BackupException;
import io.tagbridge.api.pipeline.BatchBackup;
import io.tagbridge.api.pipeline.Diagnosis;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.ReplayChunk;
import io.tagbridge.api.pipeline.TargetState;
import io.tagbridge.api.pipeline.WriteRecorder;
import io.tagbridge.api.sink.FailureKind;
import io.tagbridge.api.sink.TagSink;
import io.tagbridge.api.sink.WriteResult;

/**
 * Gets one batch to safety: into the sink; failing that it stays in the journal (outage mode KEEP) or goes to a
 * backup file (outage mode BACKUP, and always for values the sink refuses as bad data). What it does on a failure
 * depends on its kind, as the sink classifies it:
 *
 * <ul>
 * <li>transient (network, timeout, deadlock): retried on the {@link RetrySchedule}. A batch that fails all its
 * retries opens a circuit breaker: while it is open, batches are kept (or go straight to backup), so an outage does
 * not cost every batch the whole schedule, and now and then one batch probes with a single attempt;
 * <li>bad data: {@link Halving} finds the bad values; the good ones are stored, the bad ones backed up;
 * <li>refused settings (table, privilege, service) or credentials: no retries; health shows what to fix, and the
 * sink is tried again only after a long pause, never for refused credentials.
 * </ul>
 *
 * <p>The waiting is done here, so a stop request ends it at once and never interrupts a running sink call.
 */
final class Delivery {

    /**
     * How a batch left the writer's hands. SETTLED: every value was written, found stored already, or backed up,
     * as the tally says. KEPT: the database did not take it and it stays in the journal for a later attempt. HELD:
     * the writer stops while neither the database nor the backup takes it; it stays in the buffer.
     */
    enum Outcome { SETTLED, KEPT, HELD }

    /**
     * How a chunk of a backup file fared: DONE when every value is in the table or quarantined; FAILED when it must
     * come again; NOT_NOW when another attempt probes the database just now.
     */
    enum Replay { DONE, FAILED, NOT_NOW }

    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);
    private static final Duration HOLD_RETRY = Duration.ofSeconds(5);

    private final TargetSettings settings;
    private final TagSink sink;
    private final BatchBackup backup;
    private final Supplier<WriteRecorder> recorder;
    private final StopSignal stop;
    private final BooleanSupplier bufferFilling;
    private final boolean keep;
    private final RetryPolicy<Object> retries;
    private final RetryPolicy<Object> singleAttempt = RetryPolicy.builder().withMaxRetries(0).build();
    private final CircuitBreaker<Object> outage;
    private final Diagnosis writing;
    private final ConflictLog conflicts;
    private final TargetStateLog states;
    private final Lanes lanes;
    private String lastError = "";
    private long refusedUntilNanos;
    private boolean refusedForGood;

    /**
     * @param keep          whether a batch the database does not take stays in the journal (else it goes to backup)
     * @param bufferFilling whether the buffer is filling up: retries then stop early, see {@link #write}
     */
    Delivery(TargetSettings settings, TagSink sink, BatchBackup backup, Supplier<WriteRecorder> recorder,
            StopSignal stop, boolean keep, BooleanSupplier bufferFilling) {
        this.settings = settings;
        this.bufferFilling = bufferFilling;
        this.sink = sink;
        this.backup = backup;
        this.recorder = recorder;
        this.stop = stop;
        this.keep = keep;
        this.retries = RetrySchedule.of(settings, sink);
        this.outage = CircuitBreaker.builder().withFailureThreshold(1).withSuccessThreshold(1)
                .withDelay(settings.outageProbe()).build();
        this.writing = Diagnosis.of("COMMITTED", "writing to " + sink.destination());
        this.conflicts = new ConflictLog(settings.name());
        this.states = new TargetStateLog(settings.name(), recorder);
        this.lanes = new Lanes(settings.name(), sink, settings.writeConnections());
    }

    /**
     * Delivers a batch the normal way, adding to the tally what became of its values.
     *
     * @param repeated whether it may have been written before: it takes the duplicate-safe way at once
     */
    Outcome deliver(List<ReceivedValue> batch, boolean repeated, Tally tally) {
        lanes.newBatch();
        if (settingsRefused()) {
            return keep ? Outcome.KEPT
                    : backupOrHold(batch, "the database refuses the writer's settings (" + lastError + ")", tally);
        }
        if (!outage.tryAcquirePermit()) {
            return keep ? Outcome.KEPT
                    : backupOrHold(batch, "the database is unavailable (last error: " + lastError + ")", tally);
        }
        boolean probe = outage.isHalfOpen();
        Exception failure = write(batch, probe ? singleAttempt : retries, tally, repeated);
        if (failure == null) {
            outage.recordSuccess();
            return tally.held ? Outcome.HELD : Outcome.SETTLED;
        }
        return switch (sink.classify(failure).kind()) {
            case BAD_DATA -> isolateBadRows(batch, tally, repeated || lanes.partlyStored());
            case REFUSED_SETTINGS, REFUSED_CREDENTIALS -> refused(batch, failure, tally);
            case TRANSIENT -> unavailable(batch, failure, probe, tally);
        };
    }

    TargetState state() {
        return states.state();
    }

    String reason() {
        return states.reason();
    }

    /** How long a writer that keeps its batch in the journal waits before it tries the database again. */
    Duration untilNextAttempt() {
        if (refusedForGood) {
            return Duration.ofDays(365);
        }
        if (refusedUntilNanos != 0) {
            return Duration.ofNanos(Math.max(0, refusedUntilNanos - System.nanoTime()));
        }
        return outage.isOpen() ? outage.getRemainingDelay() : Duration.ZERO;
    }

    /**
     * Whether backup files may be replayed now: the last attempt committed (or none was made yet) and the settings
     * are not refused. During a declared outage a replay chunk may probe the database when a probe is due, since a
     * writer whose outages go to backup files may get no live batch to probe with.
     */
    boolean canReplay() {
        if (settingsRefused()) {
            return false;
        }
        if (outage.isClosed()) {
            return states.state() == null || states.state() == TargetState.WRITING;
        }
        return outage.isHalfOpen() || outage.getRemainingDelay().isZero();
    }

    /** The writer starts: the connection is opened and the table checked before the first batch needs them. */
    void warmUp() {
        sink.warmUp();
    }

    /** Nothing to write for a whole write interval, or the writer stops: the connection goes back to the pool. */
    void idle() {
        sink.release();
        lanes.release();
    }

    /** The writer stops: connections go back to the pool, and the lanes' threads end. */
    void close() {
        sink.release();
        lanes.close();
    }

    /** Delivers with a single database attempt and no waiting, as when the writer is stopping. */
    Outcome deliverOnce(List<ReceivedValue> batch, boolean repeated, Tally tally) {
        Exception failure = settingsRefused() ? null : write(batch, singleAttempt, tally, repeated);
        if (!settingsRefused() && failure == null) {
            return tally.held ? Outcome.HELD : Outcome.SETTLED;
        }
        if (keep) {
            return Outcome.KEPT;
        }
        String reason = "the writer was stopping and the database did not take the batch: "
                + (failure == null ? lastError : line(failure));
        return saveToBackup(batch, reason, tally) ? Outcome.SETTLED : Outcome.HELD;
    }

    private Outcome unavailable(List<ReceivedValue> batch, Exception failure, boolean probe, Tally tally) {
        outage.recordFailure();
        Diagnosis why = sink.classify(failure).diagnosis();
        String reason = "the database refused the batch " + (probe ? "on a probe" : "after all retries") + ": "
                + line(failure);
        String next = keep ? "values wait in the journal until the database answers again"
                : "batches go to backup files until the database answers again";
        states.change(TargetState.UNAVAILABLE, new Diagnosis(why.reason(), why.advice() + ". Retries are exhausted: "
                + next + "; one batch tries it every " + settings.outageProbe().toSeconds() + " s", why.error()),
                reason + ". " + next);
        return keep ? Outcome.KEPT : backupOrHold(batch, reason, tally);
    }

    private Outcome refused(List<ReceivedValue> batch, Exception failure, Tally tally) {
        refusedForGood = sink.classify(failure).kind() == FailureKind.REFUSED_CREDENTIALS;
        refusedUntilNanos = System.nanoTime() + settings.refusedSettingsRetry().toNanos();
        String reason = "the database refuses the writer's settings: " + line(failure);
        Diagnosis why = sink.classify(failure).diagnosis();
        String where = keep ? "Values wait in the journal; " : "Batches go to backup files; ";
        String next = refusedForGood ? "the database is not tried again until the configuration changes"
                : "the database is tried again every " + settings.refusedSettingsRetry().toSeconds() + " s";
        states.change(TargetState.REFUSED, new Diagnosis(why.reason(), why.advice() + ". " + where + next, why.error()),
                reason + ". " + where + next);
        return keep ? Outcome.KEPT : backupOrHold(batch, reason, tally);
    }

    private boolean settingsRefused() {
        return refusedForGood || refusedUntilNanos != 0 && System.nanoTime() - refusedUntilNanos < 0;
    }

    /**
     * Commits the good rows of a batch the database refused for bad data, and backs up the bad ones with their
     * error. Should the database fail for another reason meanwhile, the rows not yet settled take the normal path
     * for that failure; a writer that keeps batches in the journal then keeps the whole batch, and the rows
     * committed so far are found stored already when it is written again.
     */
    private Outcome isolateBadRows(List<ReceivedValue> batch, Tally tally, boolean repeated) {
        Halving.Isolation isolation = Halving.isolate(settings.name(), sink, batch, tally, !keep,
                rows -> write(rows, singleAttempt, tally, repeated), this::backupOrHold);
        Exception other = isolation.other();
        if (other != null && keep) {
            tally.clear();
            return sink.classify(other).kind().refused() ? refused(batch, other, tally)
                    : unavailable(batch, other, false, tally);
        }
        // Only when the backup took them: rows it refused are held, and the advice would be untrue.
        if (other == null && isolation.badRows() > 0 && isolation.outcome() != Outcome.HELD) {
            states.change(TargetState.WRITING, new Diagnosis("BAD_ROWS", "the database refused " + isolation.badRows()
                    + " rows of the last batch as bad data; they are in backup files with its error: fix the rows "
                    + "or the table, then replay them", isolation.firstError()),
                    isolation.badRows() + " rows of the last batch went to backup files as bad data");
        }
        if (other == null || isolation.outcome() == Outcome.HELD) {
            return isolation.outcome();
        }
        return sink.classify(other).kind().refused() ? refused(isolation.unsettled(), other, tally)
                : unavailable(isolation.unsettled(), other, false, tally);
    }

    /**
     * Replays a chunk of a backup file: the duplicate-safe way, one attempt. Rows the database refuses as bad data
     * go to quarantine; the rest is committed.
     *
     * @return DONE when every value is in the table or quarantined; FAILED when the chunk must come again
     */
    Replay replay(ReplayChunk chunk, Tally tally) {
        if (!outage.isClosed() && !outage.tryAcquirePermit()) {
            return Replay.NOT_NOW;
        }
        Exception failure = write(chunk.values(), singleAttempt, tally, true);
        if (failure == null) {
            outage.recordSuccess();
            return tally.held ? Replay.FAILED : Replay.DONE;
        }
        if (sink.classify(failure).kind() == FailureKind.TRANSIENT && !outage.isClosed()) {
            outage.recordFailure();
        }
        if (sink.classify(failure).kind() == FailureKind.BAD_DATA) {
            Halving.Isolation isolation = Halving.isolate(settings.name(), sink, chunk.values(), tally, false,
                    rows -> write(rows, singleAttempt, tally, true), (rows, reason, t) -> {
                try {
                    backup.quarantine(chunk, rows, reason);
                    t.quarantined += rows.size();
                    return Outcome.SETTLED;
                } catch (BackupException e) {
                    LOG.error("Writer {}: {}", settings.name(), e.getMessage());
                    return Outcome.HELD;
                }
            });
            if (isolation.other() == null && isolation.outcome() == Outcome.SETTLED) {
                return Replay.DONE;
            }
            failure = isolation.other() != null ? isolation.other() : failure;
        }
        backup.replayFailed(chunk, line(failure));
        return Replay.FAILED;
    }

    private String line(Throwable failure) {
        return sink.classify(failure).line();
    }

    /**
     * Returns null when the batch was committed, else the last failure. Retries stop early when the buffer is
     * filling (journal off): while this batch waits out its backoff no other batch moves, and waiting longer would
     * make the buffer refuse drivers' values although the backup could take this batch now.
     */
    private Exception write(List<ReceivedValue> batch, RetryPolicy<Object> policy, Tally tally, boolean repeated) {
        Execution<Object> execution = Execution.of(policy);
        boolean mayBeStored = repeated || lanes.partlyStored();
        while (true) {
            long start = System.nanoTime();
            try {
                WriteResult stored = lanes.write(batch, mayBeStored);
                long nanos = System.nanoTime() - start;
                List<ReceivedValue> inTable = stored.toBackUp().isEmpty() ? batch : BatchParts.without(batch, stored.toBackUp());
                recorder.get().written(settings.name(), inTable, stored.alreadyStored(), nanos);
                tally.written += stored.written();
                tally.alreadyStored += stored.alreadyStored();
                if (stored.conflicting() > 0) {
                    conflicts.record(stored.conflicting(), stored.conflicts());
                    recorder.get().conflicting(settings.name(), stored.conflicting());
                    backUpConflicts(stored.toBackUp(), stored.conflicts(), tally);
                }
                refusedUntilNanos = 0;
                refusedForGood = false;
                states.change(TargetState.WRITING, writing, writing.advice());
                return null;
            } catch (Exception e) {
                // The commit may have happened with its answer lost: the next attempt must not add rows twice.
                mayBeStored = true;
                lastError = line(e);
                Diagnosis why = sink.classify(e).diagnosis();
                recorder.get().failed(settings.name(), batch.size(), System.nanoTime() - start, why);
                execution.recordException(e);
                if (execution.isComplete() || stop.isStopped()) {
                    return e;
                }
                if (!keep && bufferFilling.getAsBoolean()) {
                    LOG.warn("Writer {}: writing {} values failed (attempt {}) and the buffer is filling: no more "
                            + "retries for this batch: {}", settings.name(), batch.size(), execution.getAttemptCount(),
                            lastError);
                    return e;
                }
                if (states.state() == TargetState.WRITING || states.state() == null) {
                    states.change(TargetState.RETRYING, why, "writing " + batch.size() + " values failed, retrying: "
                            + lastError);
                }
                Duration delay = execution.getDelay();
                LOG.warn("Writer {}: writing {} values failed (attempt {}), retrying in {} ms: {}", settings.name(),
                        batch.size(), execution.getAttemptCount(), delay.toMillis(), lastError);
                if (!stop.sleep(delay)) {
                    return e;
                }
            }
        }
    }

    private Outcome backupOrHold(List<ReceivedValue> batch, String reason, Tally tally) {
        while (!saveToBackup(batch, reason, tally)) {
            if (!stop.sleep(HOLD_RETRY)) {
                return Outcome.HELD;
            }
            if (!settingsRefused() && write(batch, singleAttempt, tally, true) == null) {
                return tally.held ? Outcome.HELD : Outcome.SETTLED;
            }
        }
        return Outcome.SETTLED;
    }

    /** Conflicting values the sink handed back: the batch is committed, they go to a backup file. */
    private void backUpConflicts(List<ReceivedValue> values, String conflicts, Tally tally) {
        if (values.isEmpty()) {
            return;
        }
        String reason = "another value is stored for the same tag and source time: " + conflicts;
        while (!saveToBackup(values, reason, tally)) {
            if (!stop.sleep(HOLD_RETRY)) {
                tally.held = true;
                return;
            }
        }
    }

    private boolean saveToBackup(List<ReceivedValue> batch, String reason, Tally tally) {
        try {
            backup.save(settings.name(), batch, reason);
            recorder.get().backedUp(settings.name(), batch, reason);
            tally.backedUp += batch.size();
            return true;
        } catch (BackupException | RuntimeException e) {
            String problem = "neither the database nor the backup takes values: " + e.getMessage()
                    + ". The writer holds " + batch.size() + " values and retries; the buffer fills meanwhile";
            Diagnosis why = new Diagnosis("BACKUP_FAILING", "neither the database nor the backup takes values: the "
                    + "writer holds its batch and retries both, and the buffer fills meanwhile. Free disk space or "
                    + "fix the backup directory's permissions", e.getMessage());
            states.change(states.state() == TargetState.REFUSED ? TargetState.REFUSED : TargetState.UNAVAILABLE, why,
                    problem);
            return false;
        }
    }

    /** The writer's thread died: health shows the target DOWN, with the cause, until it writes again. */
    void died(Throwable cause, Duration restartIn) {
        states.died(cause, restartIn);
    }
}
