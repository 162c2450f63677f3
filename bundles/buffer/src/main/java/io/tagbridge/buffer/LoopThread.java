package io.tagbridge.buffer;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.pipeline.Diagnosis;

/**
 * One of the journal's background loops on a thread of its own. A loop that dies from an unexpected error is
 * logged, shown in health for a minute, and started again, so that accepted values are never left without their
 * sync or spill.
 */
final class LoopThread {

    private static final Logger LOG = LoggerFactory.getLogger(LoopThread.class);
    private static final Duration DEATH_SHOWN = Duration.ofMinutes(1);

    private final Thread thread;
    private volatile Diagnosis death;
    private volatile long deathMillis;

    /** Starts {@code loop}, which returns once {@code running} is false; so does the restarting. */
    LoopThread(String name, Runnable loop, BooleanSupplier running) {
        thread = new Thread(() -> {
            while (running.getAsBoolean()) {
                try {
                    loop.run();
                    return;
                } catch (Throwable e) { // NOPMD: whatever ends the loop must be seen and the loop restarted
                    deathMillis = System.currentTimeMillis();
                    death = new Diagnosis("THREAD_DIED", "the journal's " + name + " thread died and was "
                            + "restarted; values stay in the journal. If this repeats, restart the gateway and "
                            + "report the error in the log", e.toString());
                    LOG.error("Journal: thread {} died from {}; starting it again in 1 s", name, e.toString(), e);
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException stop) {
                        return;
                    }
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Why the most recent of these loops to die died, if that was within the last minute; else null. */
    static Diagnosis recentDeath(LoopThread... loops) {
        Diagnosis newest = null;
        long newestMillis = System.currentTimeMillis() - DEATH_SHOWN.toMillis();
        for (LoopThread loop : loops) {
            Diagnosis died = loop.death;
            long at = loop.deathMillis;
            if (died != null && at > newestMillis) {
                newest = died;
                newestMillis = at;
            }
        }
        return newest;
    }

    /** Wakes the loop, which has been told to stop; see {@link #join()}. */
    void interrupt() {
        thread.interrupt();
    }

    /** Waits for the loop to end, at most 5 s. */
    void join() {
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
