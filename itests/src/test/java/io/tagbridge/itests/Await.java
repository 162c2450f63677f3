package io.tagbridge.itests;

import java.time.Duration;
import java.util.concurrent.Callable;

import org.opentest4j.AssertionFailedError;

/** Waits for the pipeline to reach a state; fails with what was last seen. */
final class Await {

    private Await() {
    }

    static <T> T until(String what, Duration timeout, Callable<T> probe, java.util.function.Predicate<T> done)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        Exception lastError = null;
        while (System.nanoTime() - deadline < 0) {
            try {
                last = probe.call();
                if (done.test(last)) {
                    return last;
                }
            } catch (Exception e) {
                lastError = e;
            }
            Thread.sleep(25);
        }
        AssertionFailedError failure = new AssertionFailedError(
                what + " did not happen within " + timeout + "; last seen: " + last);
        if (lastError != null) {
            failure.addSuppressed(lastError);
        }
        throw failure;
    }
}
