package io.tagbridge.buffer;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
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
 * The buffer's hand-over: a driver's {@code offer} and a writer's read and settle, alone and with several producer
 * threads, with the journal on disk (syncing every 200 ms, or on every offer) and off. The buffer is the real one,
 * as the buffer component builds it, without OSGi.
 *
 * <p>Sample mode gives the distribution of single calls: in {@code offerOne} a read and settle of 500 follows every
 * 500th offer, so the median is the cost of an offer and the top percentiles show the reads.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = { "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn" })
public class BufferBenchmark {

    private static final int BATCH = 500;

    /** Where the values are kept: the journal, syncing periodically (the default) or on every offer, or memory. */
    @State(Scope.Benchmark)
    public static class Buffer {
        @Param({ "journal", "memory", "journal-sync-on-accept" })
        String storage;

        BenchBuffer buffer;
        TargetCursor cursor;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            buffer = switch (storage) {
                case "journal" -> BenchBuffer.journal(BenchFixtures.tempDirectory("bench-journal"), SyncPolicy.PERIODIC);
                case "journal-sync-on-accept" -> BenchBuffer.journal(BenchFixtures.tempDirectory("bench-journal"),
                        SyncPolicy.ON_ACCEPT);
                default -> BenchBuffer.memory();
            };
            cursor = buffer.open("bench");
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            // a memory buffer gives unsettled values to the backup at close, which the benchmark's backup refuses
            readAll(cursor, new ArrayList<>());
            cursor.close();
            buffer.close();
        }
    }

    /** Per thread: a producer's value and list, a writer's batch. */
    @State(Scope.Thread)
    public static class Local {
        final List<ReceivedValue> sink = new ArrayList<>(BATCH);
        final List<TagValue> one = List.of(TagValue.of("line1.temperature", Instant.parse("2026-01-01T00:00:00Z"),
                21.5, Quality.GOOD));
        final List<TagValue> hundred = IntStream.range(0, 100).mapToObj(i -> TagValue.of("line1.t" + i,
                Instant.parse("2026-01-01T00:00:00Z"), (double) i, Quality.GOOD)).toList();
        int offered;

        void readIfDue(TargetCursor cursor, int added) throws InterruptedException {
            offered += added;
            if (offered >= BATCH) {
                offered = 0;
                readAll(cursor, sink);
            }
        }
    }

    private static int readAll(TargetCursor cursor, List<ReceivedValue> sink) throws InterruptedException {
        int total = 0;
        int n;
        while ((n = cursor.next(sink, BATCH, 0, TimeUnit.MILLISECONDS)) > 0) {
            cursor.settle(n, 0, 0, true);
            sink.clear();
            total += n;
        }
        return total;
    }

    @Benchmark
    @Fork(value = 3, jvmArgsAppend = { "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn" })
    public IngestResult offerOne(Buffer b, Local local) throws InterruptedException {
        IngestResult result = b.buffer.offer(local.one);
        local.readIfDue(b.cursor, 1);
        return result;
    }

    /** A driver handing over 100 values at once; the time is per value. */
    @Benchmark
    @OperationsPerInvocation(100)
    public IngestResult offerListOf100(Buffer b, Local local) throws InterruptedException {
        IngestResult result = b.buffer.offer(local.hundred);
        local.readIfDue(b.cursor, 100);
        return result;
    }

    /** A writer's read and settle of a full batch, per value, refilled by list offers. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int readBatchOf500(Buffer b, Local local) throws InterruptedException {
        for (int i = 0; i < BATCH / 100; i++) {
            b.buffer.offer(local.hundred);
        }
        local.sink.clear();
        return readAll(b.cursor, local.sink);
    }

    /** One driver thread offering single values while the writer reads on a thread of its own. */
    @Benchmark
    @Group("oneProducer")
    @GroupThreads(1)
    public IngestResult oneProducerOffer(Buffer b, Local local) {
        return b.buffer.offer(local.one);
    }

    @Benchmark
    @Group("oneProducer")
    @GroupThreads(1)
    public int oneProducerRead(Buffer b, Local local) throws InterruptedException {
        return read(b, local);
    }

    @Benchmark
    @Group("fourProducers")
    @GroupThreads(4)
    public IngestResult fourProducersOffer(Buffer b, Local local) {
        return b.buffer.offer(local.one);
    }

    @Benchmark
    @Group("fourProducers")
    @GroupThreads(1)
    public int fourProducersRead(Buffer b, Local local) throws InterruptedException {
        return read(b, local);
    }

    /** A writer's read of up to a batch, waiting at most 1 ms for it to fill, and its settle. */
    private static int read(Buffer b, Local local) throws InterruptedException {
        local.sink.clear();
        int n = b.cursor.next(local.sink, BATCH, 1, TimeUnit.MILLISECONDS);
        if (n > 0) {
            b.cursor.settle(n, 0, 0, true);
        }
        return n;
    }
}
