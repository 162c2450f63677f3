package io.tagbridge.writer;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.h2.tools.Server;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.benchmarks.BenchFixtures;
import io.tagbridge.buffer.BenchBuffer;
import io.tagbridge.testkit.FaultyLink;

/**
 * Live values first after an outage, through the same delay line as {@link CatchUpBenchmark}: a producer offers
 * {@code rate} values/s stamped with the time they were made; the writer starts {@code outage} s later with the
 * outage's backlog waiting, for each catch-up batch size and number of write connections given, once with liveFirst
 * off and once on (its default: values first once the backlog is older than 10 s). The latency of a value is from its
 * source time to the moment its batch's commit returned; the figures are over the values made after the writer
 * started and written before the backlog was caught up (as {@link CatchUpBenchmark} times it), the median of the
 * runs' p50, p99 and maximum.
 *
 * <p>Arguments: delayMillis outageSeconds rate runs settings, where settings are catchUpBatchSize/writeConnections
 * pairs separated by commas, as for {@link CatchUpBenchmark}.
 */
public final class LiveFirstBenchmark {

    private static final long WRITE_INTERVAL_MILLIS = 500;

    private LiveFirstBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long delay = Long.parseLong(args[0]);
        int outage = Integer.parseInt(args[1]);
        int rate = Integer.parseInt(args[2]);
        int runs = Integer.parseInt(args[3]);
        List<int[]> settings = Arrays.stream(args[4].split(","))
                .map(pair -> Arrays.stream(pair.split("/")).mapToInt(Integer::parseInt).toArray()).toList();
        Path dir = BenchFixtures.tempDirectory("tagbridge-live-first");
        Server h2 = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", dir.toString()).start();
        try (FaultyLink link = new FaultyLink(h2.getPort())) {
            link.delay(delay);
            DataSource db = PipelineBenchmark.pool(link.url("bench"));
            System.out.printf("link %d ms each way, outage %d s at %,d values/s, median of %d runs, %d cores, "
                    + "Java %s%n", delay, outage, rate, runs, Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"));
            System.out.printf("%-10s %11s %-10s %12s %10s %10s %10s %12s%n", "catch-up", "connections",
                    "liveFirst", "live values", "p50 s", "p99 s", "max s", "caught up");
            for (int[] setting : settings) {
                for (boolean liveFirst : new boolean[] { false, true }) {
                    double[][] results = new double[runs][];
                    for (int i = 0; i < runs; i++) {
                        results[i] = catchUp(db, setting[0], setting[1], liveFirst, outage, rate);
                    }
                    System.out.printf("%-10d %11d %-10s %,12.0f %10.2f %10.2f %10.2f %11.1fs%n", setting[0],
                            setting[1], liveFirst, median(results, 0), median(results, 1), median(results, 2),
                            median(results, 3), median(results, 4));
                }
            }
        } finally {
            h2.stop();
        }
    }

    private static double median(double[][] results, int column) {
        double[] values = Arrays.stream(results).mapToDouble(r -> r[column]).sorted().toArray();
        return values[values.length / 2];
    }

    /** The live values measured, their p50, p99 and maximum latency in seconds, and the catch-up's seconds. */
    private static double[] catchUp(DataSource db, int catchUpSize, int connections, boolean liveFirst,
            int outageSeconds, int rate) throws Exception {
        PipelineBenchmark.freshTable(db);
        List<Long> latencies = new ArrayList<>();
        AtomicLong measureFrom = new AtomicLong(Long.MAX_VALUE);
        Consumer<List<ReceivedValue>> measure = values -> {
            long now = ReceivedValue.micros(Instant.now());
            synchronized (latencies) {
                for (ReceivedValue v : values) {
                    long made = ReceivedValue.micros(v.value().sourceTime());
                    if (made >= measureFrom.get()) {
                        latencies.add(now - made);
                    }
                }
            }
        };
        try (CatchUpBenchmark.Pipeline pipeline = new CatchUpBenchmark.Pipeline(db, catchUpSize, connections,
                liveFirst, measure)) {
            AtomicLong offered = new AtomicLong();
            Thread producer = new Thread(() -> produce(pipeline.buffer, rate, offered), "bench-producer");
            producer.start();
            Thread.sleep(TimeUnit.SECONDS.toMillis(outageSeconds));
            long start = System.nanoTime();
            measureFrom.set(ReceivedValue.micros(Instant.now()));
            pipeline.start();
            long keepingUp = rate * WRITE_INTERVAL_MILLIS / 1000;
            while (offered.get() - pipeline.written.get() > keepingUp) {
                Thread.sleep(5);
            }
            double seconds = PipelineBenchmark.seconds(start);
            long[] sorted;
            synchronized (latencies) {
                sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            }
            producer.interrupt();
            producer.join();
            if (sorted.length == 0) {
                return new double[] { 0, Double.NaN, Double.NaN, Double.NaN, seconds };
            }
            return new double[] { sorted.length, seconds(sorted[sorted.length / 2]),
                    seconds(sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]),
                    seconds(sorted[sorted.length - 1]), seconds };
        }
    }

    private static double seconds(long micros) {
        return micros / 1e6;
    }

    /** Offers {@code rate} values/s in lists of rate/100 every 10 ms, each stamped with the time it was made. */
    private static void produce(BenchBuffer buffer, int rate, AtomicLong offered) {
        int perTick = Math.max(1, rate / 100);
        long next = System.nanoTime();
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
                long i = offered.get();
                List<TagValue> values = new ArrayList<>(perTick);
                for (int k = 0; k < perTick; k++, i++) {
                    values.add(TagValue.of("plc" + (i % 100) + ".tag" + (i % 1000), now.plusNanos(k * 1000L),
                            i * 0.5, Quality.GOOD));
                }
                if (!buffer.offer(values).allAccepted()) {
                    throw new IllegalStateException("the buffer refused values");
                }
                offered.addAndGet(perTick);
                next += TimeUnit.MILLISECONDS.toNanos(10);
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
