package io.tagbridge.writer;

import static io.tagbridge.writer.BatchPartsTest.cycling;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.sink.SinkFailure;
import io.tagbridge.api.sink.TagSink;
import io.tagbridge.api.sink.WriteResult;
import io.tagbridge.testkit.SwitchableDatabase;

class LanesTest {

    private final SwitchableDatabase db = new SwitchableDatabase("lanes" + System.nanoTime());
    private final ObservedSink sink = new ObservedSink(Fixtures.sink(db));

    @Test
    void onceASecondConnectionIsOpenALargeBatchIsWrittenThroughBothEachTagThroughOne() throws Exception {
        Lanes lanes = new Lanes("test", sink, 2);
        try {
            int batches = writeUntilALaneWrote(lanes);
            sink.own.clear();
            sink.onLanes.clear();
            List<ReceivedValue> batch = values(batches, 2_000, 40);
            assertThat(lanes.write(batch, false).written()).isEqualTo(2_000);
            assertThat(db.rows("TAG_VALUES")).isEqualTo((batches + 1) * 2_000);
            assertThat(sink.onLanes).isNotEmpty();
            assertThat(tagsOf(sink.own)).doesNotContainAnyElementsOf(tagsOf(sink.onLanes));
            assertThat(sink.own.size() + sink.onLanes.size()).isEqualTo(2_000);
            assertThat(sink.laneThreads).allMatch(name -> name.startsWith("tagbridge-writer-test-lane-"));
        } finally {
            lanes.close();
        }
    }

    @Test
    void batchesTooSmallToSplitNeverAskForASecondConnection() throws Exception {
        Lanes lanes = new Lanes("test", sink, 4);
        for (int i = 0; i < 5; i++) {
            lanes.write(values(i, 999, 50), false);
        }
        assertThat(sink.lanesOpened).hasValue(0);
        assertThat(db.rows("TAG_VALUES")).isEqualTo(5 * 999);
        lanes.close();
    }

    @Test
    void whenNoSecondConnectionCanBeHadEveryBatchIsWrittenThroughOneAndNoneFails() throws Exception {
        sink.refuseLanes.set(true);
        Lanes lanes = new Lanes("test", sink, 3);
        for (int i = 0; i < 20; i++) {
            WriteResult result = lanes.write(values(i, 2_000, 40), false);
            assertThat(result.written()).isEqualTo(2_000);
            Thread.sleep(5);
        }
        assertThat(sink.lanesOpened).hasValue(1);
        assertThat(sink.onLanes).isEmpty();
        assertThat(db.rows("TAG_VALUES")).isEqualTo(20 * 2_000);
        lanes.close();
    }

    @Test
    void aPartThatFailsOnALaneIsWrittenAgainThroughTheOwnConnectionAndTheBatchSucceeds() throws Exception {
        Lanes lanes = new Lanes("test", sink, 2);
        try {
            int batches = writeUntilALaneWrote(lanes);
            sink.failLanes.set(true);
            WriteResult result = lanes.write(values(batches, 2_000, 40), false);
            assertThat(result.written() + result.alreadyStored()).isEqualTo(2_000);
            assertThat(sink.laneFailures).hasValue(1);
            assertThat(db.rows("TAG_VALUES")).isEqualTo((batches + 1) * 2_000);
            assertThat(lanes.partlyStored()).isFalse();
        } finally {
            lanes.close();
        }
    }

    @Test
    void whenTheOwnPartFailsWhileALaneCommitsTheWriteFailsSayingPartsAreStoredAndTheRepeatFindsThem()
            throws Exception {
        Lanes lanes = new Lanes("test", sink, 2);
        try {
            int batches = writeUntilALaneWrote(lanes);
            List<ReceivedValue> batch = values(batches, 2_000, 40);
            sink.failOwn.set(true);
            lanes.newBatch();
            assertThatThrownBy(() -> lanes.write(batch, false)).isInstanceOf(SQLTransientConnectionException.class);
            assertThat(lanes.partlyStored()).isTrue();
            int committed = db.rows("TAG_VALUES") - batches * 2_000;
            assertThat(committed).isBetween(1, 1_999);
            sink.failOwn.set(false);
            WriteResult again = lanes.write(batch, true);
            assertThat(again.alreadyStored()).isEqualTo(committed);
            assertThat(again.written()).isEqualTo(2_000 - committed);
            assertThat(db.rows("TAG_VALUES")).isEqualTo((batches + 1) * 2_000);
            lanes.newBatch();
            assertThat(lanes.partlyStored()).isFalse();
        } finally {
            lanes.close();
        }
    }

    @Test
    void whenTheOwnPartAndTheLanesFailTheWriteStillSaysPartsMayBeStoredForALaneMayHaveCommittedUnanswered()
            throws Exception {
        Lanes lanes = new Lanes("test", sink, 2);
        try {
            int batches = writeUntilALaneWrote(lanes);
            sink.failOwn.set(true);
            sink.failLanes.set(true);
            lanes.newBatch();
            assertThatThrownBy(() -> lanes.write(values(batches, 2_000, 40), false))
                    .isInstanceOf(SQLTransientConnectionException.class);
            assertThat(lanes.partlyStored()).isTrue();
        } finally {
            lanes.close();
        }
    }

    @Test
    void onceBatchesAreTooSmallToSplitTheLanesGiveTheirConnectionsBack() throws Exception {
        Lanes lanes = new Lanes("test", sink, 2);
        try {
            writeUntilALaneWrote(lanes);
            assertThat(sink.lanesClosed).hasValue(0);
            lanes.write(values(0, 100, 10), true);
            assertThat(sink.lanesClosed).hasValue(1);
        } finally {
            lanes.close();
        }
    }

    /** Writes batches of 2,000 over 40 tags until one went partly through a lane; returns how many were written. */
    private int writeUntilALaneWrote(Lanes lanes) throws Exception {
        int batches = 0;
        while (sink.onLanes.isEmpty()) {
            assertThat(batches).as("batches written before a lane took a part").isLessThan(500);
            WriteResult result = lanes.write(values(batches++, 2_000, 40), false);
            assertThat(result.written()).isEqualTo(2_000);
        }
        return batches;
    }

    /** Batch {@code n} of {@code size} values over {@code tags} tags, its source times after batch n - 1's. */
    private static List<ReceivedValue> values(int n, int size, int tags) {
        List<ReceivedValue> cycle = cycling(size * (n + 1), tags);
        return cycle.subList(size * n, size * (n + 1));
    }

    private static Set<String> tagsOf(List<ReceivedValue> values) {
        Set<String> tags = ConcurrentHashMap.newKeySet();
        values.forEach(v -> tags.add(v.value().tagName()));
        return tags;
    }

    /** The real JDBC sink, with what went through which connection seen, and lanes that can be made to fail. */
    private static final class ObservedSink implements TagSink {
        final TagSink real;
        final List<ReceivedValue> own = new CopyOnWriteArrayList<>();
        final List<ReceivedValue> onLanes = new CopyOnWriteArrayList<>();
        final List<String> laneThreads = new CopyOnWriteArrayList<>();
        final AtomicBoolean refuseLanes = new AtomicBoolean();
        final AtomicBoolean failLanes = new AtomicBoolean();
        final AtomicBoolean failOwn = new AtomicBoolean();
        final AtomicInteger lanesOpened = new AtomicInteger();
        final AtomicInteger laneFailures = new AtomicInteger();
        final AtomicInteger lanesClosed = new AtomicInteger();

        ObservedSink(TagSink real) {
            this.real = real;
        }

        @Override
        public WriteResult write(List<ReceivedValue> batch, boolean mayBeStored) throws Exception {
            if (failOwn.get()) {
                Thread.sleep(200); // the lane commits meanwhile
                throw new SQLTransientConnectionException("IO Error: connection reset (test)", "08006", 17002);
            }
            WriteResult result = real.write(batch, mayBeStored);
            own.addAll(batch);
            return result;
        }

        @Override
        public Lane openLane() throws Exception {
            lanesOpened.incrementAndGet();
            if (refuseLanes.get()) {
                throw new SQLTransientConnectionException("no connection available (test)", "08006", 17002);
            }
            Lane lane = real.openLane();
            return new Lane() {
                @Override
                public WriteResult write(List<ReceivedValue> batch, boolean mayBeStored) throws Exception {
                    if (failLanes.get()) {
                        laneFailures.incrementAndGet();
                        throw new SQLTransientConnectionException("IO Error: connection reset (test)", "08006",
                                17002);
                    }
                    WriteResult result = lane.write(batch, mayBeStored);
                    laneThreads.add(Thread.currentThread().getName());
                    onLanes.addAll(batch);
                    return result;
                }

                @Override
                public void close() {
                    lanesClosed.incrementAndGet();
                    lane.close();
                }
            };
        }

        @Override
        public void warmUp() {
            real.warmUp();
        }

        @Override
        public void release() {
            real.release();
        }

        @Override
        public boolean needsMakeDurable() {
            return real.needsMakeDurable();
        }

        @Override
        public boolean makeDurable() {
            return real.makeDurable();
        }

        @Override
        public SinkFailure classify(Throwable failure) {
            return real.classify(failure);
        }

        @Override
        public String destination() {
            return real.destination();
        }
    }
}
