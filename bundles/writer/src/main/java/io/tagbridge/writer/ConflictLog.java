package io.tagbridge.writer;

import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

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
    private final LongSupplier nanoTime;
    private long unlogged;
    private long lastLogNanos;
    private boolean logged;

    ConflictLog(String writer) {
        this(writer, System::nanoTime);
    }

    ConflictLog(String writer, LongSupplier nanoTime) {
        this.writer = writer;
        this.nanoTime = nanoTime;
    }

    /**
     * Counts {@code count} conflicts; returns the line logged, or null when a line was logged less than a minute ago.
     *
     * @param conflicts the sink's example and what it did with them
     */
    String record(int count, String conflicts) {
        unlogged += count;
        long now = nanoTime.getAsLong();
        if (logged && now - lastLogNanos < EVERY.toNanos()) {
            return null;
        }
        String line = String.format(Locale.ROOT, "Writer %s: %d values met another value stored for their tag and "
                + "source time; %s. Check for two drivers or gateways writing the same tags", writer, unlogged,
                conflicts);
        LOG.warn("{}", line);
        unlogged = 0;
        lastLogNanos = now;
        logged = true;
        return line;
    }
}
