package io.tagbridge.writer;

import java.time.Duration;

/** Lets a writer wait (between retries, while holding a batch) and still stop at once when asked. */
final class StopSignal {

    private boolean stopped;

    synchronized void stop() {
        stopped = true;
        notifyAll();
    }

    synchronized boolean isStopped() {
        return stopped;
    }

    /** Waits for the given time unless stopped first; returns false when stopped. */
    synchronized boolean sleep(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        try {
            for (long left = duration.toNanos(); !stopped && left > 0; left = deadline - System.nanoTime()) {
                wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
        return !stopped;
    }
}
