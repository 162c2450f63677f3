package io.tagbridge.buffer;

import static io.tagbridge.benchmarks.BenchFixtures.NO_BACKUP;
import static io.tagbridge.benchmarks.BenchFixtures.bufferConfig;

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
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.tagbridge.api.IngestResult;
import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.ReceivedValue;

/**
 * The buffer's hand-over: a driver's {@code offer} and a writer's {@code drain}, alone and with several producer
 * threads. The buffer is the real one (BufferComponent, policy BLOCK), without OSGi.
 *
 * <p>Sample mode gives the distribution of single calls: in {@code offerOne} a drain of 500 follows every 500th
 * offer, so the median is the cost of an offer and the top percentiles show the drains.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = { "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn" })
public class BufferBenchmark {

    private static final int BATCH = 500;

    /** One producer that also drains: nothing else touches the lock. */
    @State(Scope.Thread)
    public static class Alone {
        BufferComponent buffer;
        final List<ReceivedValue> sink = new ArrayList<>(BATCH);
        final TagValue value = TagValue.of("line1.temperature", Instant.parse("2026-01-01T00:00:00Z"), 21.5,
                Quality.GOOD);
        final List<TagValue> list = IntStream.range(0, 100).mapToObj(i -> TagValue.of("line1.t" + i,
                Instant.parse("2026-01-01T00:00:00Z"), (double) i, Quality.GOOD)).toList();
        int offered;

        @Setup
        public void setUp() {
            buffer = new BufferComponent(NO_BACKUP, bufferConfig(100_000, OverflowPolicy.BLOCK));
        }

        void drainIfDue(int added) throws InterruptedException {
            offered += added;
            if (offered >= BATCH) {
                offered = 0;
                while (buffer.drain(sink, BATCH, 0, TimeUnit.MILLISECONDS) > 0) {
                    sink.clear();
                }
            }
        }
    }

    /** A buffer shared by the producer threads and one writer thread of a group. */
    @State(Scope.Group)
    public static class Shared {
        BufferComponent buffer;

        @Setup
        public void setUp() {
            buffer = new BufferComponent(NO_BACKUP, bufferConfig(100_000, OverflowPolicy.BLOCK));
        }
    }

    /** Per thread: a producer's value and a writer's batch. */
    @State(Scope.Thread)
    public static class Local {
        final List<ReceivedValue> sink = new ArrayList<>(BATCH);
        final TagValue value = TagValue.of("line1.temperature", Instant.parse("2026-01-01T00:00:00Z"), 21.5,
                Quality.GOOD);
    }

    @Benchmark
    public IngestResult offerOne(Alone s) throws InterruptedException {
        IngestResult result = s.buffer.offer(s.value);
        s.drainIfDue(1);
        return result;
    }

    /** A driver handing over 100 values at once; the time is per value. */
    @Benchmark
    @OperationsPerInvocation(100)
    public IngestResult offerListOf100(Alone s) throws InterruptedException {
        IngestResult result = s.buffer.offer(s.list);
        s.drainIfDue(100);
        return result;
    }

    /** A writer's drain of a full batch, per value, refilled by a list offer outside the lock's hot path. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int drainBatchOf500(Alone s) throws InterruptedException {
        for (int i = 0; i < BATCH / 100; i++) {
            s.buffer.offer(s.list);
        }
        s.sink.clear();
        return s.buffer.drain(s.sink, BATCH, 0, TimeUnit.MILLISECONDS);
    }

    @Benchmark
    @Group("oneProducer")
    @GroupThreads(1)
    public IngestResult oneProducerOffer(Shared shared, Local local) {
        return shared.buffer.offer(local.value);
    }

    @Benchmark
    @Group("oneProducer")
    @GroupThreads(1)
    public int oneProducerDrain(Shared shared, Local local) throws InterruptedException {
        return drain(shared, local);
    }

    @Benchmark
    @Group("fourProducers")
    @GroupThreads(4)
    public IngestResult fourProducersOffer(Shared shared, Local local) {
        return shared.buffer.offer(local.value);
    }

    @Benchmark
    @Group("fourProducers")
    @GroupThreads(1)
    public int fourProducersDrain(Shared shared, Local local) throws InterruptedException {
        return drain(shared, local);
    }

    /** A writer's drain: up to a batch, waiting at most 1 ms for it to fill. */
    private static int drain(Shared shared, Local local) throws InterruptedException {
        local.sink.clear();
        return shared.buffer.drain(local.sink, BATCH, 1, TimeUnit.MILLISECONDS);
    }
}
