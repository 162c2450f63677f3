package io.tagbridge.writer;

import java.time.Duration;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.pipeline.TargetState;

/**
 * While a target does not write, one line a minute says for how long and how many values wait: with the state
 * changes, that is all an outage puts in the log, however long it lasts.
 */
final class OutageSummary {

    static final Duration EVERY = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(OutageSummary.class);

    private final String writer;
    private final LongSupplier backlog;
    private final boolean keep;
    private long sinceNanos;
    private long lastLogNanos;

    OutageSummary(String writer, LongSupplier backlog, boolean keep) {
        this.writer = writer;
        this.backlog = backlog;
        this.keep = keep;
    }

    void update(TargetState state, String reason) {
        if (state == null || state == TargetState.WRITING || state == TargetState.STOPPED) {
            sinceNanos = 0;
            return;
        }
        long now = System.nanoTime();
        if (sinceNanos == 0) {
            sinceNanos = now;
            lastLogNanos = now;
            return;
        }
        if (now - lastLogNanos < EVERY.toNanos()) {
            return;
        }
        lastLogNanos = now;
        long minutes = Duration.ofNanos(now - sinceNanos).toMinutes();
        LOG.warn("Writer {}: {} for {} min ({}); {} values waiting {}", writer,
                state == TargetState.REFUSED ? "the database refuses the settings" : "the database is unavailable",
                minutes, reason, String.format("%,d", backlog.getAsLong()),
                keep ? "in the journal" : "in the journal, batches going to backup files");
    }
}
