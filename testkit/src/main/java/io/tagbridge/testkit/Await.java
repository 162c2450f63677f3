package io.tagbridge.testkit;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The one way the tests wait: for a condition, with Awaitility, never for a time. A timeout fails with what was
 * awaited and the last value seen.
 */
public final class Await {

    private static final Duration POLL = Duration.ofMillis(25);

    private Await() {
    }

    /**
     * Polls {@code probe} until {@code done} holds for its answer, and returns that answer. An exception of the probe
     * (not yet listening, not yet there) polls again; an {@link AssertionError} fails at once.
     */
    public static <T> T until(String what, Duration timeout, Callable<T> probe, Predicate<? super T> done) {
        return Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(POLL)
                .ignoreExceptionsMatching(e -> e instanceof Exception).until(probe, done::test);
    }

    /** Polls {@code condition} until it is true; its exceptions poll again. */
    public static void until(String what, Duration timeout, Callable<Boolean> condition) {
        until(what, timeout, condition, Boolean.TRUE::equals);
    }

    /**
     * As {@link #until(String, Duration, Callable, Predicate)}, and on a timeout fails with {@code context} (a log
     * tail, say) appended to the message.
     */
    public static <T> T until(String what, Duration timeout, Callable<T> probe, Predicate<? super T> done,
            Callable<String> context) {
        try {
            return until(what, timeout, probe, done);
        } catch (ConditionTimeoutException e) {
            String more;
            try {
                more = context.call();
            } catch (Exception unreadable) {
                more = "(" + unreadable + ")";
            }
            throw new AssertionError(e.getMessage() + "\n" + more, e);
        }
    }

    /**
     * Whether {@code condition} comes true within {@code timeout}, polled every {@code poll}: for checks that report
     * a timeout as one finding among others (soft assertions) instead of failing at once.
     */
    public static boolean holdsWithin(Duration timeout, Duration poll, Callable<Boolean> condition) {
        try {
            Awaitility.await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(poll)
                    .ignoreExceptionsMatching(e -> e instanceof Exception).until(condition);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }
}
