package io.tagbridge.gateway.smoke;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;

/**
 * A producer outside the gateway, posting sequenced values over REST at a steady rate, and keeping which were
 * accepted (answered 200). Value {@code i} is tag {@code <prefix><i % 20>} at source time T0 + i µs, value i.
 */
final class Producer implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final int PER_REQUEST = 50;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI uri;
    private final String prefix;
    private final int perSecond;
    private final BitSet accepted = new BitSet();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int offered;

    Producer(int port, String prefix, int perSecond) {
        this.uri = URI.create("http://127.0.0.1:" + port + "/api/buffer/values");
        this.prefix = prefix;
        this.perSecond = perSecond;
        this.thread = new Thread(this::run, "producer");
        thread.start();
    }

    private void run() {
        long start = System.nanoTime();
        int next = 0;
        while (running) {
            long due = start + TimeUnit.SECONDS.toNanos(next) / perSecond;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                sleep(wait);
                continue;
            }
            int from = next;
            next += PER_REQUEST;
            offered = next;
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                        .header("Content-Type", "application/json")
                        .header("Authorization", GatewayProcess.basic(GatewayProcess.USER, GatewayProcess.PASSWORD))
                        .POST(HttpRequest.BodyPublishers.ofString(body(from, next))).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    synchronized (accepted) {
                        accepted.set(from, next);
                    }
                }
            } catch (Exception refusedOrGone) {
                // Not accepted: the gateway is gone or was never there; the values are the producer's still.
            }
        }
    }

    private String body(int from, int to) {
        StringBuilder b = new StringBuilder("[");
        for (int i = from; i < to; i++) {
            if (i > from) {
                b.append(',');
            }
            b.append("{\"tagName\":\"").append(tag(i)).append("\",\"sourceTime\":\"").append(sourceTime(i))
                    .append("\",\"value\":").append(i).append('}');
        }
        return b.append(']').toString();
    }

    String tag(int i) {
        return prefix + (i % 20);
    }

    static Instant sourceTime(int i) {
        return T0.plusNanos(i * 1000L);
    }

    /** The key a value has in the table: tag and source time. */
    String key(int i) {
        return tag(i) + "@" + sourceTime(i);
    }

    BitSet accepted() {
        synchronized (accepted) {
            return (BitSet) accepted.clone();
        }
    }

    int offered() {
        return offered;
    }

    private static void sleep(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }
}
