package io.tagbridge.kura;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A driver inside the gateway, seen from outside it: offers one value about every millisecond to whatever
 * io.tagbridge.api.TagIngest is registered, and keeps the numbers of the values it accepted. Value n is tag
 * {@code kura.<n % 10>} at 2026-04-01T00:00:00Z + n µs, value n.
 */
final class ReflectiveDriver implements AutoCloseable {

    private static final Instant BASE = Instant.parse("2026-04-01T00:00:00Z");
    private static final String INGEST = "io.tagbridge.api.TagIngest";

    private final KuraLikeGateway gateway;
    private final Set<Long> accepted = ConcurrentHashMap.newKeySet();
    private final AtomicLong attempts = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private volatile Exception lastAbsence;

    ReflectiveDriver(KuraLikeGateway gateway) {
        this.gateway = gateway;
        thread = new Thread(this::produce, "test-kura-driver");
        thread.start();
    }

    private void produce() {
        long next = 0;
        while (running) {
            attempts.incrementAndGet();
            try {
                if (offer(next)) {
                    accepted.add(next);
                }
                next++;
            } catch (IllegalStateException | ReflectiveOperationException absent) {
                // no buffer right now (installing, updating): the driver holds the value and tries again
                lastAbsence = absent;
            } catch (Exception e) {
                failure = e;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private boolean offer(long n) throws Exception {
        var reference = gateway.reference(INGEST);
        if (reference == null) {
            throw new IllegalStateException("no TagIngest");
        }
        Object ingest = gateway.context().getService(reference);
        try {
            ClassLoader api = ingest.getClass().getClassLoader();
            Class<?> quality = api.loadClass("io.tagbridge.api.Quality");
            Object value = KuraLikeGateway.invokeOn(api.loadClass("io.tagbridge.api.TagValue"), null, "of",
                    "kura." + (n % 10), BASE.plusNanos(n * 1000), (double) n, quality.getField("GOOD").get(null));
            Object result = KuraLikeGateway.invoke(ingest, INGEST, "offer", value);
            return (Boolean) KuraLikeGateway.invoke(result, "io.tagbridge.api.IngestResult", "allAccepted");
        } finally {
            gateway.context().ungetService(reference);
        }
    }

    /** Waits until the driver has tried {@code more} more values, taken or not. */
    void awaitMoreAttempts(long more) throws InterruptedException {
        long target = attempts.get() + more;
        for (long deadline = System.nanoTime() + 60_000_000_000L; attempts.get() < target; Thread.sleep(10)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the driver stalled");
            }
        }
    }

    /** Why the last value could not be offered, for failure messages. */
    @Override
    public String toString() {
        return "driver: " + accepted.size() + " accepted of " + attempts.get() + " tries; last miss: " + lastAbsence;
    }

    long acceptedCount() {
        return accepted.size();
    }

    /** Stops offering; closing twice is harmless. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
        if (failure != null) {
            throw new AssertionError("the driver failed", failure);
        }
    }

    Set<Long> accepted() {
        return Set.copyOf(accepted);
    }
}
