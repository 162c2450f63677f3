package io.tagbridge.buffer;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Tries to open a journal that could not be opened, every few seconds, until an attempt says it is done. */
final class JournalRetry implements AutoCloseable {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tagbridge-journal-retry");
        t.setDaemon(true);
        return t;
    });

    /** @param attempt true once the journal opened, which ends the tries */
    JournalRetry(BooleanSupplier attempt, Duration every) {
        timer.scheduleWithFixedDelay(() -> {
            if (attempt.getAsBoolean()) {
                timer.shutdown();
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
