package io.tagbridge.writer;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.failsafe.CircuitBreaker;
import dev.failsafe.Execution;
import dev.failsafe.RetryPolicy;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.BackupException;
import io.tagbridge.api.pipeline.BatchBackup;
import io.tagbridge.api.pipeline.WriteRecorder;
import io.tagbridge.api.pipeline.WriterState;

/**
 * Gets one batch to safety: into the database, with retries and exponential backoff; failing that into a
 * backup file; failing that, it keeps the batch and tries both again until one works or the writer stops.
 *
 * <p>Failsafe decides how often and how long to wait (a retry policy), and whether the database counts as
 * down (a circuit breaker that opens when a batch has failed all its retries). While it is down, batches go
 * straight to backup, so an outage does not cost every batch the whole retry schedule, and now and then one
 * batch probes the database with a single attempt. The waiting itself is done here, so a stop request ends
 * it at once and never interrupts a running JDBC call.
 */
final class Delivery {

    /** How a batch left the writer's hands. */
    enum Outcome { WRITTEN, BACKED_UP, HELD }

    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);
    private static final Duration HOLD_RETRY = Duration.ofSeconds(5);

    private final WriterSettings settings;
    private final BatchInserter inserter;
    private final BatchBackup backup;
    private final Supplier<WriteRecorder> recorder;
    private final StopSignal stop;
    private final RetryPolicy<Object> retries;
    private final RetryPolicy<Object> singleAttempt = RetryPolicy.builder().withMaxRetries(0).build();
    private final CircuitBreaker<Object> outage;
    private final String runningDetail;
    private WriterState state;
    private String lastError = "";

    Delivery(WriterSettings settings, BatchInserter inserter, BatchBackup backup, Supplier<WriteRecorder> recorder,
            StopSignal stop) {
        this.settings = settings;
        this.inserter = inserter;
        this.backup = backup;
        this.recorder = recorder;
        this.stop = stop;
        this.retries = retryPolicy(settings);
        this.outage = CircuitBreaker.builder().withFailureThreshold(1).withSuccessThreshold(1)
                .withDelay(settings.outageProbe()).build();
        this.runningDetail = "writing to table " + settings.table().sql();
    }

    static RetryPolicy<Object> retryPolicy(WriterSettings settings) {
        var builder = RetryPolicy.builder().handle(SQLException.class).withMaxRetries(settings.retryMax());
        if (settings.retryDelay().isZero()) {
            return builder.build();
        }
        if (settings.retryMaxDelay().compareTo(settings.retryDelay()) <= 0) {
            return builder.withDelay(settings.retryDelay()).build();
        }
        return builder.withBackoff(settings.retryDelay(), settings.retryMaxDelay(), 2.0).build();
    }

    /** Delivers a batch the normal way; HELD only when the writer stops while neither target takes it. */
    Outcome deliver(List<TagValue> batch) {
        String reason;
        if (outage.tryAcquirePermit()) {
            boolean probe = outage.isHalfOpen();
            Exception failure = write(batch, probe ? singleAttempt : retries);
            if (failure == null) {
                outage.recordSuccess();
                return Outcome.WRITTEN;
            }
            outage.recordFailure();
            reason = "the database refused the batch " + (probe ? "on a probe" : "after all retries") + ": "
                    + SqlErrors.describe(failure);
            changeState(WriterState.DATABASE_UNAVAILABLE, reason + ". Batches go to backup files until the database "
                    + "answers again; check that the database is up and the pool settings are right");
        } else {
            reason = "the database is unavailable (last error: " + lastError + ")";
        }
        return backupOrHold(batch, reason);
    }

    /** Delivers with a single database attempt and no waiting, as when the writer is stopping. */
    Outcome deliverOnce(List<TagValue> batch) {
        Exception failure = write(batch, singleAttempt);
        if (failure == null) {
            return Outcome.WRITTEN;
        }
        return saveToBackup(batch, "the writer was stopping and the database refused the batch: "
                + SqlErrors.describe(failure)) ? Outcome.BACKED_UP : Outcome.HELD;
    }

    /** Returns null when the batch was committed, else the last failure. */
    private Exception write(List<TagValue> batch, RetryPolicy<Object> policy) {
        Execution<Object> execution = Execution.of(policy);
        while (true) {
            long start = System.nanoTime();
            try {
                inserter.insert(batch);
                recorder.get().written(settings.name(), batch.size(), System.nanoTime() - start);
                changeState(WriterState.RUNNING, runningDetail);
                return null;
            } catch (SQLException | RuntimeException e) {
                lastError = SqlErrors.describe(e);
                recorder.get().failed(settings.name(), batch.size(), System.nanoTime() - start, lastError);
                execution.recordException(e);
                if (execution.isComplete() || stop.isStopped()) {
                    return e;
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

    private Outcome backupOrHold(List<TagValue> batch, String reason) {
        while (!saveToBackup(batch, reason)) {
            if (!stop.sleep(HOLD_RETRY)) {
                return Outcome.HELD;
            }
            if (write(batch, singleAttempt) == null) {
                return Outcome.WRITTEN;
            }
        }
        return Outcome.BACKED_UP;
    }

    private boolean saveToBackup(List<TagValue> batch, String reason) {
        try {
            backup.save(batch, reason);
            recorder.get().backedUp(settings.name(), batch.size(), reason);
            return true;
        } catch (BackupException | RuntimeException e) {
            String problem = "neither the database nor the backup takes values: " + e.getMessage()
                    + ". The writer holds " + batch.size() + " values and retries; the buffer fills meanwhile";
            LOG.error("Writer {}: {}", settings.name(), problem);
            changeState(WriterState.BACKUP_FAILING, problem);
            return false;
        }
    }

    private void changeState(WriterState next, String detail) {
        if (next != state) {
            state = next;
            recorder.get().state(settings.name(), next, detail);
            if (next == WriterState.RUNNING) {
                LOG.info("Writer {}: {}", settings.name(), detail);
            } else {
                LOG.error("Writer {}: {}", settings.name(), detail);
            }
        }
    }
}
