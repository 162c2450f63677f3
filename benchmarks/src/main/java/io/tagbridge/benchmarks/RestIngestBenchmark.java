package io.tagbridge.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Producers posting values to a running gateway's {@code POST /api/buffer/values} as fast as it answers, each over
 * its own kept-alive connection: requests/s, values/s (answered 200), and the latency of a request, from sending to
 * the answer. Prints one JSON line.
 *
 * <p>Usage: {@code RestIngestBenchmark <base url> <user> <password> <producers> <seconds> [values per request]}
 */
public final class RestIngestBenchmark {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0] + "/api/buffer/values");
        String login = "Basic " + Base64.getEncoder().encodeToString((args[1] + ":" + args[2])
                .getBytes(StandardCharsets.UTF_8));
        int producers = Integer.parseInt(args[3]);
        long nanos = Duration.ofSeconds(Long.parseLong(args[4])).toNanos();
        int perRequest = args.length > 5 ? Integer.parseInt(args[5]) : 100;
        String run = Long.toString(System.currentTimeMillis(), 36);
        AtomicLong refused = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int p = 0; p < producers; p++) {
            long[] own = new long[4_000_000];
            latencies.add(own);
            String prefix = "bench." + run + "." + p + ".";
            Thread t = new Thread(() -> produce(uri, login, prefix, perRequest, start + nanos, own, refused));
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] all = latencies.stream().flatMapToLong(l -> Arrays.stream(l, 1, (int) l[0] + 1)).sorted().toArray();
        System.out.println(String.format(Locale.ROOT, "{\"producers\":%d,\"valuesPerRequest\":%d,\"seconds\":%.1f,"
                + "\"requestsPerSecond\":%.0f,\"valuesPerSecond\":%.0f,\"p50Ms\":%.2f,\"p99Ms\":%.2f,"
                + "\"p999Ms\":%.2f,\"refused\":%d}", producers, perRequest, seconds, all.length / seconds,
                all.length * (double) perRequest / seconds, percentile(all, 0.50), percentile(all, 0.99),
                percentile(all, 0.999), refused.get()));
    }

    /** Posts until the deadline; {@code latencies[0]} counts the answers of 200, the rest are their latencies. */
    private static void produce(URI uri, String login, String prefix, int perRequest, long deadline,
            long[] latencies, AtomicLong refused) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        long next = 0;
        while (System.nanoTime() < deadline) {
            String body = body(prefix, next, perRequest);
            next += perRequest;
            long sent = System.nanoTime();
            try {
                HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json").header("Authorization", login)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200 && latencies[0] < latencies.length - 1) {
                    latencies[(int) ++latencies[0]] = System.nanoTime() - sent;
                } else if (answer.statusCode() != 200) {
                    refused.incrementAndGet();
                }
            } catch (Exception e) {
                refused.incrementAndGet();
            }
        }
    }

    private static String body(String prefix, long from, int count) {
        StringBuilder b = new StringBuilder(count * 90).append('[');
        for (long i = from; i < from + count; i++) {
            if (i > from) {
                b.append(',');
            }
            b.append("{\"tagName\":\"").append(prefix).append(i % 20).append("\",\"sourceTime\":\"")
                    .append(T0.plusNanos(i * 1000)).append("\",\"value\":").append(i).append('}');
        }
        return b.append(']').toString();
    }

    private static double percentile(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    private RestIngestBenchmark() {
    }
}
