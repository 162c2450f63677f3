package io.tagbridge.buffer;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.tagbridge.benchmarks.BenchFixtures;
import io.tagbridge.api.IngestResult;
import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.TargetCursor;

/**
 * What a driver pays for an answer that means "on disk": {@code offerDurably} of 100 values, waited for, against
 * the plain {@code offer}, from 1 and from 8 driver threads, with a writer thread reading and settling. The journal
 * syncs every 200 ms (the default); durable offers make it sync at once, every offer waiting sharing one sync.
 * One sample is one offer of 100 values.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = { "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn" })
public class DurableOfferBenchmark {

    private static final int BATCH = 500;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @State(Scope.Group)
    public static class Buffer {
        BenchBuffer buffer;
        TargetCursor cursor;
        final AtomicLong nextThread = new AtomicLong();

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            buffer = BenchBuffer.journal(BenchFixtures.tempDirectory("bench-durable"), SyncPolicy.PERIODIC);
            cursor = buffer.open("bench");
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            cursor.close();
            buffer.close();
        }
    }

    /** A driver's 100 values, each thread its own tags. */
    @State(Scope.Thread)
    public static class Driver {
        List<TagValue> hundred;
        final List<ReceivedValue> sink = new ArrayList<>(BATCH);

        @Setup(Level.Trial)
        public void setUp(Buffer b) {
            long thread = b.nextThread.incrementAndGet();
            hundred = IntStream.range(0, 100).mapToObj(i -> TagValue.of("driver" + thread + ".t" + i, T0,
                    (double) i, Quality.GOOD)).toList();
        }
    }

    @Benchmark
    @Group("oneDriverPlain")
    @GroupThreads(1)
    public IngestResult oneDriverPlainOffer(Buffer b, Driver d) {
        return b.buffer.offer(d.hundred);
    }

    @Benchmark
    @Group("oneDriverPlain")
    @GroupThreads(1)
    public int oneDriverPlainRead(Buffer b, Driver d) throws InterruptedException {
        return read(b, d);
    }

    @Benchmark
    @Group("oneDriverDurable")
    @GroupThreads(1)
    public IngestResult oneDriverDurableOffer(Buffer b, Driver d) {
        return b.buffer.offerDurably(d.hundred);
    }

    @Benchmark
    @Group("oneDriverDurable")
    @GroupThreads(1)
    public int oneDriverDurableRead(Buffer b, Driver d) throws InterruptedException {
        return read(b, d);
    }

    @Benchmark
    @Group("eightDriversPlain")
    @GroupThreads(8)
    public IngestResult eightDriversPlainOffer(Buffer b, Driver d) {
        return b.buffer.offer(d.hundred);
    }

    @Benchmark
    @Group("eightDriversPlain")
    @GroupThreads(1)
    public int eightDriversPlainRead(Buffer b, Driver d) throws InterruptedException {
        return read(b, d);
    }

    @Benchmark
    @Group("eightDriversDurable")
    @GroupThreads(8)
    public IngestResult eightDriversDurableOffer(Buffer b, Driver d) {
        return b.buffer.offerDurably(d.hundred);
    }

    @Benchmark
    @Group("eightDriversDurable")
    @GroupThreads(1)
    public int eightDriversDurableRead(Buffer b, Driver d) throws InterruptedException {
        return read(b, d);
    }

    /** A writer's read of up to a batch, waiting at most 1 ms for it to fill, and its settle. */
    private static int read(Buffer b, Driver d) throws InterruptedException {
        d.sink.clear();
        int n = b.cursor.next(d.sink, BATCH, 1, TimeUnit.MILLISECONDS);
        if (n > 0) {
            b.cursor.settle(n, 0, 0, true);
        }
        return n;
    }
}
