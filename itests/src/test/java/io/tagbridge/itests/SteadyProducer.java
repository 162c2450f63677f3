package io.tagbridge.itests;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

import io.tagbridge.api.IngestResult;
import io.tagbridge.api.Quality;
import io.tagbridge.api.TagIngest;
import io.tagbridge.api.TagValue;
import io.tagbridge.testkit.Await;

/**
 * A driver that offers one value about every millisecond to whichever {@link TagIngest} is there, as a driver does
 * while bundles come and go. Each value carries its number as its value, so that a test can tell which ones the
 * gateway took and find each of them again.
 */
final class SteadyProducer implements AutoCloseable {

    private static final Instant BASE = Instant.parse("2026-03-01T00:00:00Z");

    private final String tagPrefix;
    private final ServiceTracker<TagIngest, TagIngest> ingest;
    private final Set<Long> accepted = ConcurrentHashMap.newKeySet();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    SteadyProducer(String tagPrefix) {
        this.tagPrefix = tagPrefix;
        BundleContext context = FrameworkUtil.getBundle(SteadyProducer.class).getBundleContext();
        ingest = new ServiceTracker<>(context, TagIngest.class, null);
        ingest.open();
        thread = new Thread(this::produce, "test-steady-producer");
        thread.start();
    }

    private void produce() {
        long next = 0;
        while (running) {
            attempts.incrementAndGet();
            TagIngest current = ingest.getService();
            if (current != null) {
                IngestResult result = Seen.result(current.offer(TagValue.of(tagPrefix + (next % 10),
                        BASE.plusNanos(next * 1000), (double) next, Quality.GOOD)));
                if (result.allAccepted()) {
                    accepted.add(next);
                } else {
                    refused.incrementAndGet();
                }
                next++;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Waits until the producer has tried to offer {@code more} values after now, taken or not. */
    void awaitMoreAttempts(long more) throws Exception {
        long target = attempts.get() + more;
        Await.until(more + " more offers", TestPipeline.TIMEOUT, attempts::get, n -> n >= target);
    }

    long acceptedCount() {
        return accepted.size();
    }

    long refusedCount() {
        return refused.get();
    }

    /** The numbers of the values the gateway accepted. */
    Set<Long> accepted() {
        return Set.copyOf(accepted);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
        ingest.close();
    }
}
