package io.tagbridge.writer;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs conflicts (another value stored for the same tag and source time) at most once a minute per writer, with
 * how many there were since the last line and an example: never silent, never a flood.
 */
final class ConflictLog {

    static final Duration EVERY = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(ConflictLog.class);

    private final String writer;
    private final ConflictPolicy policy;
    private long unlogged;
    private long lastLogNanos;
    private boolean logged;

    ConflictLog(String writer, ConflictPolicy policy) {
        this.writer = writer;
        this.policy = policy;
    }

    void record(int count, String example) {
        unlogged += count;
        long now = System.nanoTime();
        if (logged && now - lastLogNanos < EVERY.toNanos()) {
            return;
        }
        String outcome = switch (policy) {
            case KEEP_FIRST -> "the stored rows were kept";
            case KEEP_LAST -> "rows were replaced where the new value was received later";
            case BACKUP -> "the new values went to a backup file";
        };
        LOG.warn("Writer {}: {} values met another value stored for their tag and source time; {} "
                + "(conflictPolicy {}). Example: {}. Check for two drivers or gateways writing the same tags",
                writer, unlogged, outcome, policy, example);
        unlogged = 0;
        lastLogNanos = now;
        logged = true;
    }
}
