package io.tagbridge.writer;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
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
import io.tagbridge.api.pipeline.TargetState;
import io.tagbridge.api.pipeline.WriteRecorder;

/**
 * Gets one batch to safety: into the database; failing that into a backup file; failing that, it keeps the batch
 * and tries both again until one works or the writer stops. What it does on a failure depends on its class:
 *
 * <ul>
 * <li>transient (network, timeout, deadlock): retried with exponential backoff (a Failsafe retry policy). A batch
 * that fails all its retries opens a circuit breaker: while it is open, batches go straight to backup, so an
 * outage does not cost every batch the whole schedule, and now and then one batch probes with a single attempt;
 * <li>bad data: the batch is split in halves until the bad rows are found; good rows are committed, bad rows go
 * to backup with the database's error. No bad row is retried forever, no good row is lost with it;
 * <li>refused settings (credentials, table, privilege, service): no retries; batches go to backup, health shows
 * what to fix, and the database is tried again only after a long pause, never for refused credentials.
 * </ul>
 *
 * <p>The waiting is done here, so a stop request ends it at once and never interrupts a running JDBC call.
 */
final class Delivery {

    /** How a batch left the writer's hands; HELD rows have been handed back to the buffer. */
    enum Outcome { WRITTEN, BACKED_UP, HELD }

    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);
    private static final Duration HOLD_RETRY = Duration.ofSeconds(5);

    private final WriterSettings settings;
    private final BatchInserter inserter;
    private final BatchBackup backup;
    private final Supplier<WriteRecorder> recorder;
    private final StopSignal stop;
    private final Consumer<List<ReceivedValue>> handBack;
    private final BooleanSupplier bufferFilling;
    private final RetryPolicy<Object> retries;
    private final RetryPolicy<Object> singleAttempt = RetryPolicy.builder().withMaxRetries(0).build();
    private final CircuitBreaker<Object> outage;
    private final Diagnosis writing;
    private TargetState state;
    private Diagnosis diagnosis;
    private String lastError = "";
    private long refusedUntilNanos;
    private boolean refusedForGood;

    /**
     * @param handBack      takes rows the writer has to let go of unsettled (it stops while neither the database
     *                      nor the backup takes them), so that they are not lost: normally the buffer
     * @param bufferFilling whether the buffer is filling up: retries then stop early, see {@link #write}
     */
    Delivery(WriterSettings settings, BatchInserter inserter, BatchBackup backup, Supplier<WriteRecorder> recorder,
            StopSignal stop, Consumer<List<ReceivedValue>> handBack, BooleanSupplier bufferFilling) {
        this.settings = settings;
        this.bufferFilling = bufferFilling;
        this.inserter = inserter;
        this.backup = backup;
        this.recorder = recorder;
        this.stop = stop;
        this.handBack = handBack;
        this.retries = retryPolicy(settings);
        this.outage = CircuitBreaker.builder().withFailureThreshold(1).withSuccessThreshold(1)
                .withDelay(settings.outageProbe()).build();
        this.writing = Diagnosis.of("COMMITTED", "writing to table " + settings.table().sql());
    }

    /** Retries transient failures only: bad data and refused settings do not get better by waiting. */
    static RetryPolicy<Object> retryPolicy(WriterSettings settings) {
        var builder = RetryPolicy.builder().handleIf(e -> SqlErrors.classify(e) == ErrorClass.TRANSIENT)
                .withMaxRetries(settings.retryMax());
        if (settings.retryDelay().isZero()) {
            return builder.build();
        }
        if (settings.retryMaxDelay().compareTo(settings.retryDelay()) <= 0) {
            return builder.withDelay(settings.retryDelay()).build();
        }
        return builder.withBackoff(settings.retryDelay(), settings.retryMaxDelay(), 2.0).build();
    }

    /** Delivers a batch the normal way; HELD only when the writer stops while neither target takes it. */
    Outcome deliver(List<ReceivedValue> batch) {
        if (settingsRefused()) {
            return backupOrHold(batch, "the database refuses the writer's settings (" + lastError + ")");
        }
        if (!outage.tryAcquirePermit()) {
            return backupOrHold(batch, "the database is unavailable (last error: " + lastError + ")");
        }
        boolean probe = outage.isHalfOpen();
        Exception failure = write(batch, probe ? singleAttempt : retries);
        if (failure == null) {
            outage.recordSuccess();
            return Outcome.WRITTEN;
        }
        return switch (SqlErrors.classify(failure)) {
            case BAD_DATA -> isolateBadRows(batch);
            case REFUSED_SETTINGS -> refused(batch, failure);
            case TRANSIENT -> unavailable(batch, failure, probe);
        };
    }

    /** The writer starts: the connection is opened and the table checked before the first batch needs them. */
    void warmUp() {
        inserter.warmUp();
    }

    /** Nothing to write for a whole write interval, or the writer stops: the connection goes back to the pool. */
    void idle() {
        inserter.release();
    }

    /** Delivers with a single database attempt and no waiting, as when the writer is stopping. */
    Outcome deliverOnce(List<ReceivedValue> batch) {
        Exception failure = settingsRefused() ? null : write(batch, singleAttempt);
        if (!settingsRefused() && failure == null) {
            return Outcome.WRITTEN;
        }
        String reason = "the writer was stopping and the database did not take the batch: "
                + (failure == null ? lastError : SqlErrors.describe(failure));
        if (saveToBackup(batch, reason)) {
            return Outcome.BACKED_UP;
        }
        handBack.accept(List.copyOf(batch));
        return Outcome.HELD;
    }

    private Outcome unavailable(List<ReceivedValue> batch, Exception failure, boolean probe) {
        outage.recordFailure();
        Diagnosis why = SqlErrors.diagnose(failure);
        String reason = "the database refused the batch " + (probe ? "on a probe" : "after all retries") + ": "
                + SqlErrors.describe(failure);
        changeState(TargetState.UNAVAILABLE, new Diagnosis(why.reason(), why.advice() + ". Retries are exhausted: "
                + "batches go to backup files until the database answers again; one tries it every "
                + settings.outageProbe().toSeconds() + " s", why.error()), reason);
        return backupOrHold(batch, reason);
    }

    private Outcome refused(List<ReceivedValue> batch, Exception failure) {
        refusedForGood = SqlErrors.isAuthentication(failure);
        refusedUntilNanos = System.nanoTime() + settings.refusedSettingsRetry().toNanos();
        String reason = "the database refuses the writer's settings: " + SqlErrors.describe(failure);
        Diagnosis why = SqlErrors.diagnose(failure);
        String next = refusedForGood ? "the database is not tried again until the configuration changes"
                : "the database is tried again every " + settings.refusedSettingsRetry().toSeconds() + " s";
        changeState(TargetState.REFUSED, new Diagnosis(why.reason(), why.advice() + ". Batches go to backup files; "
                + next, why.error()), reason + ". Batches go to backup files; " + next);
        return backupOrHold(batch, reason);
    }

    private boolean settingsRefused() {
        return refusedForGood || refusedUntilNanos != 0 && System.nanoTime() - refusedUntilNanos < 0;
    }

    /**
     * Commits the good rows of a batch the database refused for bad data, and backs up the bad ones with their
     * error. Halving finds k bad rows among n in about k log n single attempts. Should the database fail for
     * another reason meanwhile, the rows not yet settled take the normal path for that failure.
     */
    private Outcome isolateBadRows(List<ReceivedValue> batch) {
        Map<String, List<ReceivedValue>> bad = new LinkedHashMap<>();
        Deque<List<ReceivedValue>> pending = new ArrayDeque<>();
        pushHalves(pending, batch);
        Exception other = null;
        List<ReceivedValue> unsettled = new ArrayList<>();
        while (!pending.isEmpty()) {
            List<ReceivedValue> chunk = pending.poll();
            Exception failure = write(chunk, singleAttempt);
            if (failure == null) {
                continue;
            }
            if (SqlErrors.classify(failure) != ErrorClass.BAD_DATA) {
                other = failure;
                unsettled.addAll(chunk);
                pending.forEach(unsettled::addAll);
                break;
            }
            if (chunk.size() == 1) {
                bad.computeIfAbsent("the database refused this row: " + SqlErrors.describe(failure),
                        k -> new ArrayList<>()).add(chunk.get(0));
            } else {
                pushHalves(pending, chunk);
            }
        }
        Outcome outcome = bad.isEmpty() ? Outcome.WRITTEN : Outcome.BACKED_UP;
        for (Map.Entry<String, List<ReceivedValue>> rows : bad.entrySet()) {
            LOG.warn("Writer {}: {} rows refused as bad data go to backup: {}", settings.name(),
                    rows.getValue().size(), rows.getKey());
            if (backupOrHold(rows.getValue(), rows.getKey()) == Outcome.HELD) {
                outcome = Outcome.HELD;
            }
        }
        if (other == null) {
            return outcome;
        }
        return SqlErrors.classify(other) == ErrorClass.REFUSED_SETTINGS ? refused(unsettled, other)
                : unavailable(unsettled, other, false);
    }

    private static void pushHalves(Deque<List<ReceivedValue>> pending, List<ReceivedValue> chunk) {
        int middle = chunk.size() / 2;
        pending.addFirst(chunk.subList(middle, chunk.size()));
        pending.addFirst(chunk.subList(0, middle));
    }

    /**
     * Returns null when the batch was committed, else the last failure. Retries stop early when the buffer is
     * filling: while this batch waits out its backoff no other batch moves, and waiting longer would make the
     * buffer refuse drivers' values although the backup could take this batch now.
     */
    private Exception write(List<ReceivedValue> batch, RetryPolicy<Object> policy) {
        Execution<Object> execution = Execution.of(policy);
        while (true) {
            long start = System.nanoTime();
            try {
                int alreadyStored = inserter.insert(batch);
                recorder.get().written(settings.name(), batch, alreadyStored, System.nanoTime() - start);
                refusedUntilNanos = 0;
                changeState(TargetState.WRITING, writing, writing.advice());
                return null;
            } catch (Exception e) {
                lastError = SqlErrors.describe(e);
                Diagnosis why = SqlErrors.diagnose(e);
                recorder.get().failed(settings.name(), batch.size(), System.nanoTime() - start, why);
                execution.recordException(e);
                if (execution.isComplete() || stop.isStopped()) {
                    return e;
                }
                if (bufferFilling.getAsBoolean()) {
                    LOG.warn("Writer {}: writing {} values failed (attempt {}) and the buffer is filling: no more "
                            + "retries for this batch: {}", settings.name(), batch.size(), execution.getAttemptCount(),
                            lastError);
                    return e;
                }
                if (state == TargetState.WRITING || state == null) {
                    changeState(TargetState.RETRYING, why, "writing " + batch.size() + " values failed, retrying: "
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

    private Outcome backupOrHold(List<ReceivedValue> batch, String reason) {
        while (!saveToBackup(batch, reason)) {
            if (!stop.sleep(HOLD_RETRY)) {
                handBack.accept(List.copyOf(batch));
                return Outcome.HELD;
            }
            if (!settingsRefused() && write(batch, singleAttempt) == null) {
                return Outcome.WRITTEN;
            }
        }
        return Outcome.BACKED_UP;
    }

    private boolean saveToBackup(List<ReceivedValue> batch, String reason) {
        try {
            backup.save(batch, reason);
            recorder.get().backedUp(settings.name(), batch, reason);
            return true;
        } catch (BackupException | RuntimeException e) {
            String problem = "neither the database nor the backup takes values: " + e.getMessage()
                    + ". The writer holds " + batch.size() + " values and retries; the buffer fills meanwhile";
            Diagnosis why = new Diagnosis("BACKUP_FAILING", "neither the database nor the backup takes values: the "
                    + "writer holds its batch and retries both, and the buffer fills meanwhile. Free disk space or "
                    + "fix the backup directory's permissions", e.getMessage());
            changeState(state == TargetState.REFUSED ? TargetState.REFUSED : TargetState.UNAVAILABLE, why, problem);
            return false;
        }
    }

    /** Reports a new state or diagnosis, and logs it once: at INFO when writing again, else at ERROR. */
    private void changeState(TargetState next, Diagnosis why, String logLine) {
        if (next == state && why.reason().equals(diagnosis == null ? null : diagnosis.reason())) {
            return;
        }
        state = next;
        diagnosis = why;
        recorder.get().state(settings.name(), next, why);
        if (next == TargetState.WRITING) {
            LOG.info("Writer {}: {}", settings.name(), logLine);
        } else if (next == TargetState.RETRYING) {
            LOG.warn("Writer {}: {}", settings.name(), logLine);
        } else {
            LOG.error("Writer {}: {}", settings.name(), logLine);
        }
    }
}
