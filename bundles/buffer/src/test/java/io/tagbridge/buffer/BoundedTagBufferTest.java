package io.tagbridge.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.tagbridge.api.IngestResult;
import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.ReceivedValue;

class BoundedTagBufferTest {

    private static TagValue value(int i) {
        return TagValue.of("tag" + i, Instant.ofEpochSecond(i), (long) i, Quality.GOOD);
    }

    private static List<TagValue> values(int from, int to) {
        return IntStream.range(from, to).mapToObj(BoundedTagBufferTest::value).toList();
    }

    private static BoundedTagBuffer buffer(int capacity, OverflowPolicy policy, long blockMillis) {
        return new BoundedTagBuffer(new BufferSettings(capacity, policy, TimeUnit.MILLISECONDS.toNanos(blockMillis)),
                () -> 42L);
    }

    private static List<TagValue> drainAll(BoundedTagBuffer buffer) throws InterruptedException {
        List<ReceivedValue> out = new ArrayList<>();
        buffer.drain(out, Integer.MAX_VALUE, 0, TimeUnit.MILLISECONDS);
        return values(out);
    }

    private static List<TagValue> values(List<ReceivedValue> received) {
        return received.stream().map(ReceivedValue::value).toList();
    }

    @Test
    void rejectNewestRefusesWhatDoesNotFitAndCountsIt() throws Exception {
        BoundedTagBuffer buffer = buffer(3, OverflowPolicy.REJECT_NEWEST, 0);
        assertThat(buffer.offer(values(0, 3)).accepted()).isEqualTo(3);

        IngestResult result = buffer.offer(value(3));

        assertThat(result.refused()).isEqualTo(1);
        assertThat(result.reason()).contains("buffer is full");
        assertThat(buffer.status().refusedTotal()).isEqualTo(1);
        assertThat(drainAll(buffer)).containsExactlyElementsOf(values(0, 3));
    }

    @Test
    void aListIsTakenWholeOrNotAtAll() throws Exception {
        BoundedTagBuffer buffer = buffer(5, OverflowPolicy.REJECT_NEWEST, 0);
        buffer.offer(values(0, 3));

        IngestResult result = buffer.offer(values(3, 6));

        assertThat(result.accepted()).isZero();
        assertThat(result.refused()).isEqualTo(3);
        assertThat(buffer.status().depth()).isEqualTo(3);
    }

    @Test
    void dropOldestKeepsTheNewestAndCountsWhatItDiscarded() throws Exception {
        BoundedTagBuffer buffer = buffer(3, OverflowPolicy.DROP_OLDEST, 0);
        buffer.offer(values(0, 3));

        assertThat(buffer.offer(values(3, 5)).allAccepted()).isTrue();

        assertThat(buffer.status().dropped()).isEqualTo(2);
        assertThat(buffer.status().lastRefusal()).contains("DROP_OLDEST");
        assertThat(drainAll(buffer)).containsExactlyElementsOf(values(2, 5));
    }

    @Test
    void blockRefusesAfterTheTimeoutWhenNoRoomAppears() {
        BoundedTagBuffer buffer = buffer(1, OverflowPolicy.BLOCK, 50);
        buffer.offer(value(0));

        IngestResult result = buffer.offer(value(1));

        assertThat(result.refused()).isEqualTo(1);
        assertThat(result.reason()).contains("waited 50 ms");
    }

    @Test
    void blockAcceptsOnceAConsumerMakesRoom() throws Exception {
        BoundedTagBuffer buffer = buffer(1, OverflowPolicy.BLOCK, 60_000);
        buffer.offer(value(0));
        ExecutorService producer = Executors.newSingleThreadExecutor();
        try {
            Future<IngestResult> blocked = producer.submit(() -> buffer.offer(value(1)));
            List<ReceivedValue> first = new ArrayList<>();
            buffer.drain(first, 1, 0, TimeUnit.MILLISECONDS);

            assertThat(blocked.get(10, TimeUnit.SECONDS).allAccepted()).isTrue();
            assertThat(drainAll(buffer)).containsExactly(value(1));
        } finally {
            producer.shutdownNow();
        }
    }

    @Test
    void aListLargerThanTheCapacityIsRefusedEvenWhenBlocking() {
        BoundedTagBuffer buffer = buffer(2, OverflowPolicy.BLOCK, 60_000);

        IngestResult result = buffer.offer(values(0, 3));

        assertThat(result.refused()).isEqualTo(3);
        assertThat(result.reason()).contains("exceed the buffer capacity of 2");
    }

    @Test
    void drainWaitsForAWholeBatchAndReturnsAsSoonAsItIsThere() throws Exception {
        BoundedTagBuffer buffer = buffer(100, OverflowPolicy.BLOCK, 0);
        buffer.offer(values(0, 2));
        ExecutorService producer = Executors.newSingleThreadExecutor();
        CountDownLatch started = new CountDownLatch(1);
        try {
            producer.submit(() -> {
                started.countDown();
                sleep(100);
                buffer.offer(values(2, 5));
            });
            started.await();
            List<ReceivedValue> batch = new ArrayList<>();

            int n = buffer.drain(batch, 5, 1, TimeUnit.HOURS);

            assertThat(n).isEqualTo(5);
            assertThat(values(batch)).containsExactlyElementsOf(values(0, 5));
        } finally {
            producer.shutdownNow();
        }
    }

    @Test
    void drainHandsOverWhatIsThereWhenTheTimeoutPasses() throws Exception {
        BoundedTagBuffer buffer = buffer(100, OverflowPolicy.BLOCK, 0);
        buffer.offer(values(0, 2));
        List<ReceivedValue> batch = new ArrayList<>();

        int n = buffer.drain(batch, 500, 20, TimeUnit.MILLISECONDS);

        assertThat(n).isEqualTo(2);
    }

    @Test
    void drainTakesAtMostOneBatch() throws Exception {
        BoundedTagBuffer buffer = buffer(100, OverflowPolicy.BLOCK, 0);
        buffer.offer(values(0, 10));
        List<ReceivedValue> batch = new ArrayList<>();

        assertThat(buffer.drain(batch, 4, 0, TimeUnit.MILLISECONDS)).isEqualTo(4);
        assertThat(buffer.status().depth()).isEqualTo(6);
    }

    @Test
    void returnedValuesGoBackAheadOfNewerOnesInTheirOrder() throws Exception {
        BoundedTagBuffer buffer = buffer(3, OverflowPolicy.REJECT_NEWEST, 0);
        buffer.offer(values(0, 3));
        List<ReceivedValue> taken = new ArrayList<>();
        buffer.drain(taken, 2, 0, TimeUnit.MILLISECONDS);
        buffer.offer(values(3, 5));

        buffer.returnUndelivered(taken);

        assertThat(drainAll(buffer)).containsExactlyElementsOf(values(0, 5));
    }

    @Test
    void closeHandsBackEverythingAndRefusesNewValues() {
        BoundedTagBuffer buffer = buffer(10, OverflowPolicy.BLOCK, 1000);
        buffer.offer(values(0, 4));

        List<ReceivedValue> rest = buffer.close();

        assertThat(values(rest)).containsExactlyElementsOf(values(0, 4));
        assertThat(buffer.offer(value(9)).reason()).contains("stopping");
    }

    @Test
    void shrinkingTheCapacityKeepsWhatIsBufferedButAdmitsNothingMoreUntilThereIsRoom() throws Exception {
        BoundedTagBuffer buffer = buffer(10, OverflowPolicy.REJECT_NEWEST, 0);
        buffer.offer(values(0, 5));

        buffer.reconfigure(new BufferSettings(3, OverflowPolicy.REJECT_NEWEST, 0));

        assertThat(buffer.offer(value(5)).refused()).isEqualTo(1);
        assertThat(drainAll(buffer)).hasSize(5);
        assertThat(buffer.offer(value(6)).allAccepted()).isTrue();
    }

    @Test
    void manyProducersLoseAndDuplicateNothing() throws Exception {
        BoundedTagBuffer buffer = buffer(1_000, OverflowPolicy.BLOCK, 60_000);
        int producers = 4;
        int perProducer = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        List<ReceivedValue> drained = new ArrayList<>();
        try {
            for (int p = 0; p < producers; p++) {
                int base = p * perProducer;
                pool.submit(() -> {
                    for (int i = 0; i < perProducer; i++) {
                        buffer.offer(value(base + i));
                    }
                });
            }
            while (drained.size() < producers * perProducer) {
                buffer.drain(drained, 500, 100, TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(drained).hasSize(producers * perProducer);
        assertThat(drained.stream().map(r -> r.value().tagName()).distinct().count()).isEqualTo(producers * perProducer);
        assertThat(buffer.status().refusedTotal()).isZero();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void eachValueIsStampedWithTheTimeTheBufferAcceptedIt() throws Exception {
        long[] now = { 1_000 };
        BoundedTagBuffer buffer = new BoundedTagBuffer(new BufferSettings(10, OverflowPolicy.BLOCK, 0), () -> now[0]);
        buffer.offer(value(0));
        now[0] = 2_000;
        buffer.offer(values(1, 3));
        List<ReceivedValue> out = new ArrayList<>();

        buffer.drain(out, 10, 0, TimeUnit.MILLISECONDS);

        assertThat(out).extracting(ReceivedValue::receivedMicros).containsExactly(1_000L, 2_000L, 2_000L);
    }
}
