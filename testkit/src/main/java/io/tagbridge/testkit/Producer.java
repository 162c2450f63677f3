package io.tagbridge.testkit;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;

/**
 * A producer outside the gateway, posting sequenced values over REST at a steady rate, and keeping which were
 * accepted (answered 200). Value {@code i} is tag {@code <prefix><i % 20>} at source time T0 + i µs, value i.
 */
public final class Producer implements AutoCloseable {

    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final int PER_REQUEST = 50;
    private static final String VALUES = "/api/buffer/values";

    private final GatewayHttp http;
    private final String prefix;
    private final int perSecond;
    private final BitSet accepted = new BitSet();
    private final BitSet durable = new BitSet();
    private final java.util.Map<Integer, Integer> statuses = new java.util.TreeMap<>();
    /** When each request was answered 200 (System.nanoTime), by request number; 0 when it was not. */
    private long[] answeredAt = new long[1024];
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean paused;
    private final Object sending = new Object();
    private volatile int offered;

    public Producer(int port, String prefix, int perSecond) {
        this(port, prefix, perSecond, GatewayProcess.USER, GatewayProcess.PASSWORD);
    }

    /** A producer posting with another login than the operator's. */
    public Producer(int port, String prefix, int perSecond, String user, String password) {
        this.http = GatewayHttp.local(port, Duration.ofSeconds(2)).timeout(Duration.ofSeconds(5))
                .as(user, password);
        this.prefix = prefix;
        this.perSecond = perSecond;
        this.thread = new Thread(this::run, "producer");
        thread.start();
    }

    private void run() {
        long start = System.nanoTime();
        int next = 0;
        while (running) {
            if (paused) {
                sleep(TimeUnit.MILLISECONDS.toNanos(10));
                start = System.nanoTime() - TimeUnit.SECONDS.toNanos(next) / perSecond; // no burst after
                continue;
            }
            long due = start + TimeUnit.SECONDS.toNanos(next) / perSecond;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                sleep(wait);
                continue;
            }
            synchronized (sending) {
                if (paused) {
                    continue;
                }
                next = send(next);
            }
        }
    }

    /** Posts the values from {@code from} on; returns the next value's number. */
    private int send(int from) {
        int next = from + PER_REQUEST;
        offered = next;
        try {
            HttpResponse<String> r = http.postJson(VALUES, body(from, next));
            synchronized (accepted) {
                if (r.statusCode() == 200) {
                    accepted.set(from, next);
                    int request = from / PER_REQUEST;
                    if (request >= answeredAt.length) {
                        answeredAt = java.util.Arrays.copyOf(answeredAt, Math.max(request + 1, answeredAt.length * 2));
                    }
                    answeredAt[request] = System.nanoTime();
                    if (r.body().replace(" ", "").contains("\"durable\":true")) {
                        durable.set(from, next);
                    }
                }
                statuses.merge(r.statusCode(), 1, Integer::sum);
            }
        } catch (Exception refusedOrGone) {
            // Not accepted: the gateway is gone or was never there; the values are the producer's still.
            synchronized (accepted) {
                statuses.merge(0, 1, Integer::sum);
            }
        }
        return next;
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

    public String tag(int i) {
        return prefix + (i % 20);
    }

    public static Instant sourceTime(int i) {
        return T0.plusNanos(i * 1000L);
    }

    /** The key a value has in the table: tag and source time. */
    public String key(int i) {
        return tag(i) + "@" + sourceTime(i);
    }

    public BitSet accepted() {
        synchronized (accepted) {
            return (BitSet) accepted.clone();
        }
    }

    /** The values answered 200 whose answer said {@code "durable":true}: on disk when the answer was given. */
    public BitSet durable() {
        synchronized (accepted) {
            return (BitSet) durable.clone();
        }
    }

    /** When value {@code i} was answered 200 (System.nanoTime), or 0 when it was not. */
    public long answeredAt(int i) {
        synchronized (accepted) {
            int request = i / PER_REQUEST;
            return request < answeredAt.length ? answeredAt[request] : 0;
        }
    }

    /** How many requests got each HTTP status so far; 0 counts requests that got no answer. */
    public java.util.Map<Integer, Integer> statuses() {
        synchronized (accepted) {
            return new java.util.TreeMap<>(statuses);
        }
    }

    public int offered() {
        return offered;
    }

    /**
     * Posts about {@code megabytes} MB of large text values (tags {@code fill.<n>}) to a gateway, 150 KB a request,
     * until one is not answered 200; returns the next value's number, for the next call.
     */
    public static long postLargeValues(GatewayProcess gateway, String user, String password, int megabytes,
            long fills) {
        String text = "x".repeat(3000);
        for (int request = 0; request < megabytes * 7 + 1; request++) {
            StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < 50; i++) {
                body.append(i == 0 ? "" : ",").append("{\"tagName\":\"fill.").append(fills % 20)
                        .append("\",\"sourceTime\":\"").append(T0.plusSeconds(86_400L * 365).plusNanos(
                                1000L * fills)).append("\",\"value\":\"").append(text).append("\"}");
                fills++;
            }
            try {
                if (gateway.http().as(user, password).postJson(VALUES, body.append(']').toString())
                        .statusCode() != 200) {
                    return fills;
                }
            } catch (IOException | InterruptedException crashed) {
                return fills;
            }
        }
        return fills;
    }

    /** Stops posting until {@link #resume()}; returns once a request under way has its answer. */
    public void pause() {
        paused = true;
        synchronized (sending) {
            // the request under way, if any, is answered
        }
    }

    public void resume() {
        paused = false;
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
