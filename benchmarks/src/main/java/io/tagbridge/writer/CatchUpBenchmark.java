package io.tagbridge.writer;

import static io.tagbridge.benchmarks.BenchFixtures.NO_BACKUP;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.h2.tools.Server;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.TargetCursor;
import io.tagbridge.api.pipeline.WriteRecorder;
import io.tagbridge.api.sink.TagSink;
import io.tagbridge.benchmarks.BenchFixtures;
import io.tagbridge.buffer.BenchBuffer;
import io.tagbridge.buffer.SyncPolicy;
import io.tagbridge.sink.jdbc.BenchTable;
import io.tagbridge.sink.jdbc.WriteMode;
import io.tagbridge.testkit.FaultyLink;

/**
 * A database far away: an H2 server behind testkit's {@link FaultyLink}, a delay line that makes each chunk arrive
 * {@code delayMillis} later in each direction, written by the writer's own classes with the journal on disk (the
 * gateway's code without the OSGi service layer), for each catch-up batch size and number of write connections
 * given.
 *
 * <ul>
 * <li><b>Catch-up</b>: a producer offers {@code rate} values/s; the writer starts {@code outage} s later, as when the
 * database comes back, with the outage's backlog waiting. Timed from its start until no more waits than a writer
 * that keeps up holds (one write interval's values); the factor is the values written in that time, per second,
 * divided by the rate.
 * <li><b>Steady</b>: {@code rows} values offered as fast as the buffer takes them, timed until written, against a
 * raw loop of keyed INSERT batches of 500 on one connection, one commit per batch, through the same link.
 * </ul>
 *
 * <p>Arguments: delayMillis outageSeconds rate runs settings rows, where settings are catchUpBatchSize/writeConnections
 * pairs separated by commas (500/1 is a writer before either setting). Prints the median of the runs.
 */
public final class CatchUpBenchmark {

    private static final long WRITE_INTERVAL_MILLIS = 500;

    private CatchUpBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long delay = Long.parseLong(args[0]);
        int outage = Integer.parseInt(args[1]);
        int rate = Integer.parseInt(args[2]);
        int runs = Integer.parseInt(args[3]);
        List<int[]> settings = Arrays.stream(args[4].split(","))
                .map(pair -> Arrays.stream(pair.split("/")).mapToInt(Integer::parseInt).toArray()).toList();
        int rows = Integer.parseInt(args[5]);
        Path dir = BenchFixtures.tempDirectory("tagbridge-catch-up");
        Server h2 = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", dir.toString()).start();
        try (FaultyLink link = new FaultyLink(h2.getPort())) {
            link.delay(delay);
            DataSource db = PipelineBenchmark.pool(link.url("bench"));
            System.out.printf("link %d ms each way, outage %d s at %,d values/s, steady %,d rows, median of %d runs, "
                    + "%d cores, Java %s%n", delay, outage, rate, rows, runs,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            double raw = PipelineBenchmark.median(runs, () -> PipelineBenchmark.raw(db, PipelineBenchmark.values(rows), 500,
                    WriteMode.INSERT, false));
            System.out.printf("raw keyed INSERT, batches of 500, one connection: %,.0f values/s%n", raw);
            System.out.printf("%-10s %11s %14s %12s %12s %10s %12s%n", "catch-up", "connections", "backlog",
                    "caught up", "written/s", "factor", "steady/raw");
            for (int[] setting : settings) {
                int size = setting[0];
                int connections = setting[1];
                List<double[]> catchUps = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    catchUps.add(catchUp(db, size, connections, outage, rate));
                }
                catchUps.sort((a, b) -> Double.compare(a[2], b[2]));
                double[] median = catchUps.get(runs / 2);
                double steady = PipelineBenchmark.median(runs, () -> steady(db, size, connections, PipelineBenchmark.values(rows)));
                System.out.printf("%-10d %11d %,14.0f %11.1fs %,12.0f %9.1fx %11.2fx%n", size, connections, median[0],
                        median[1], median[2], median[2] / rate, steady / raw);
            }
        } finally {
            h2.stop();
        }
    }


    /** The backlog when the writer started, the seconds it took to write everything offered, and values/s. */
    private static double[] catchUp(DataSource db, int catchUpSize, int connections, int outageSeconds, int rate)
            throws Exception {
        PipelineBenchmark.freshTable(db);
        try (Pipeline pipeline = new Pipeline(db, catchUpSize, connections)) {
            AtomicLong offered = new AtomicLong();
            Thread producer = new Thread(() -> produce(pipeline.buffer, rate, offered), "bench-producer");
            producer.start();
            Thread.sleep(TimeUnit.SECONDS.toMillis(outageSeconds));
            long backlog = offered.get();
            long start = System.nanoTime();
            pipeline.start();
            // caught up: no more waits than a writer that keeps up holds, one write interval's values
            long keepingUp = rate * WRITE_INTERVAL_MILLIS / 1000;
            while (offered.get() - pipeline.written.get() > keepingUp) {
                Thread.sleep(5);
            }
            double seconds = PipelineBenchmark.seconds(start);
            long written = pipeline.written.get();
            producer.interrupt();
            producer.join();
            return new double[] { backlog, seconds, written / seconds };
        }
    }

    /** Offers {@code rate} values/s in lists of rate/100 every 10 ms, numbering them on, until interrupted. */
    private static void produce(BenchBuffer buffer, int rate, AtomicLong offered) {
        int perTick = Math.max(1, rate / 100);
        long next = System.nanoTime();
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        try {
            while (!Thread.currentThread().isInterrupted()) {
                long i = offered.get();
                List<TagValue> values = new ArrayList<>(perTick);
                for (int k = 0; k < perTick; k++, i++) {
                    values.add(TagValue.of("plc" + (i % 100) + ".tag" + (i % 1000), base.plusNanos(i * 1000L),
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

    /** Values offered as fast as the buffer takes them; values/s until the last one is written. */
    private static double steady(DataSource db, int catchUpSize, int connections, List<TagValue> values)
            throws Exception {
        PipelineBenchmark.freshTable(db);
        try (Pipeline pipeline = new Pipeline(db, catchUpSize, connections)) {
            pipeline.start();
            long start = System.nanoTime();
            for (int i = 0; i < values.size(); i += 100) {
                if (!pipeline.buffer.offer(values.subList(i, Math.min(i + 100, values.size()))).allAccepted()) {
                    throw new IllegalStateException("the buffer refused values");
                }
            }
            while (pipeline.written.get() < values.size()) {
                Thread.sleep(5);
            }
            return values.size() / PipelineBenchmark.seconds(start);
        }
    }

    /**
     * A journal and a writer with batches of 500 growing to {@code catchUpSize}, through up to {@code connections}
     * connections, and with {@code liveFirst} a live writer beside it; the writers start on demand.
     * {@code onWritten} sees each batch once it is committed, from either writer's thread.
     */
    static final class Pipeline implements AutoCloseable, WriteRecorder {
        final BenchBuffer buffer;
        final AtomicLong written = new AtomicLong();
        private final TargetCursor cursor;
        private final TargetCursor live;
        private final StopSignal stop = new StopSignal();
        private final List<Thread> writers = new ArrayList<>();
        private final Consumer<List<ReceivedValue>> onWritten;

        Pipeline(DataSource db, int catchUpSize, int connections) throws Exception {
            this(db, catchUpSize, connections, false, values -> { });
        }

        Pipeline(DataSource db, int catchUpSize, int connections, boolean liveFirst,
                Consumer<List<ReceivedValue>> onWritten) throws Exception {
            this.onWritten = onWritten;
            TargetSettings settings = TargetSettings.read(Map.of("name", "bench", "batchSize", 500,
                    "catchUpBatchSize", catchUpSize, "writeConnections", connections, "liveFirst", liveFirst))
                    .settings();
            buffer = BenchBuffer.journal(BenchFixtures.tempDirectory("bench-journal"), SyncPolicy.PERIODIC);
            cursor = buffer.open("bench");
            TagSink sink = BenchTable.sink(db, WriteMode.INSERT_FIRST);
            Delivery delivery = new Delivery(settings, sink, NO_BACKUP, () -> this, stop, true, () -> false);
            writers.add(new Thread(new WriteLoop(settings, cursor, delivery, sink, stop,
                    new Replayer(settings, NO_BACKUP, delivery, sink, () -> this),
                    new OutageSummary("bench", () -> 0, true)), "bench-writer"));
            live = liveFirst ? cursor.live(settings.liveFirst().after()) : null;
            if (live != null) {
                writers.add(new Thread(new LiveWriter(settings, live, sink, stop, () -> this), "bench-live"));
            }
        }

        void start() {
            writers.forEach(Thread::start);
        }

        @Override
        public void written(String target, List<ReceivedValue> values, int alreadyStored, long latencyNanos) {
            onWritten.accept(values);
            written.addAndGet(values.size());
        }

        @Override
        public void close() throws Exception {
            stop.stop();
            cursor.wake();
            if (live != null) {
                live.wake();
            }
            for (Thread writer : writers) {
                if (writer.isAlive()) {
                    writer.join();
                }
            }
            if (live != null) {
                live.close();
            }
            cursor.close();
            buffer.close();
        }
    }
}
