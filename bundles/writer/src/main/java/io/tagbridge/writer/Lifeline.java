package io.tagbridge.writer;

import java.time.Duration;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.pipeline.TargetCursor;

/**
 * Keeps a writer's loop alive: a loop that dies from an unexpected error (an {@link Error} included) is shown in
 * health and logged with its stack, its batch goes back to the buffer, and a new loop starts after a pause.
 */
final class Lifeline implements Runnable {

    static final Duration RESTART_AFTER = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(Lifeline.class);

    private final String name;
    private final Supplier<Runnable> loops;
    private final TargetCursor cursor;
    private final Delivery delivery;
    private final StopSignal stop;

    Lifeline(String name, Supplier<Runnable> loops, TargetCursor cursor, Delivery delivery, StopSignal stop) {
        this.name = name;
        this.loops = loops;
        this.cursor = cursor;
        this.delivery = delivery;
        this.stop = stop;
    }

    @Override
    public void run() {
        while (!stop.isStopped()) {
            try {
                loops.get().run();
                return;
            } catch (Throwable e) { // NOPMD: a writer must never end without anyone knowing
                LOG.error("Writer {}: its thread died", name, e);
                delivery.died(e, RESTART_AFTER);
                cursor.rewind();
                stop.sleep(RESTART_AFTER);
            }
        }
        // Stopped while waiting to restart: no loop ends normally to give the connections back.
        delivery.close();
    }
}
