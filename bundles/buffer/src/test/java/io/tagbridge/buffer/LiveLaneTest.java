package io.tagbridge.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.TargetBacklog;
import io.tagbridge.api.pipeline.TargetCursor;
import io.tagbridge.buffer.journal.HeapStorage;
import io.tagbridge.buffer.journal.Journal;
import io.tagbridge.buffer.journal.JournalEvents;
import io.tagbridge.buffer.journal.Segment;

/**
 * A target's live lane over a journal in memory: which values it and the target's cursor hand out, and how the
 * cursor takes over what the lane settled, so that every value is settled once and counted once.
 */
class LiveLaneTest {

    private static final Instant LONG_AGO = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration BEHIND = Duration.ofSeconds(10);

    private Journal journal;
    private Signals signals;
    private Target target;
    private int routed;

    @BeforeEach
    void openJournal() throws IOException {
        journal = Journal.open(new HeapStorage(1 << 20), new JournalEvents() {
            @Override
            public void damaged(Segment segment, int offset, long bytes, long values, String what, boolean late) {
                throw new AssertionError(what);
            }

            @Override
            public void unreadable(String file, String why) {
                throw new AssertionError(why);
            }
        }, 0);
        signals = new Signals(journal);
        target = new Target(journal, signals, "plant", TagFilter.of(List.of()), journal.position(0), new Counters(),
                0);
        target.reopen(TagFilter.of(List.of()));
    }

    private void append(String prefix, int from, int to, Instant received) throws IOException {
        List<TagValue> values = IntStream.range(from, to)
                .mapToObj(i -> TagValue.of(prefix + i, LONG_AGO.plusMillis(i), (long) i, Quality.GOOD)).toList();
        assertThat(journal.append(values, ReceivedValue.micros(received), new long[1]))
                .isEqualTo(Journal.Appended.OK);
        routed += to - from;
    }

    private static List<String> next(TargetCursor cursor, int max) throws InterruptedException {
        List<ReceivedValue> batch = new ArrayList<>();
        cursor.next(batch, max, 0, TimeUnit.MILLISECONDS);
        return batch.stream().map(v -> v.value().tagName()).toList();
    }

    private TargetBacklog status() {
        return target.backlog(routed);
    }

    @Test
    void whileTheBacklogIsOldTheLaneTakesWhatCameAfterAndTheCursorTakesItOverWithoutHandingItOutAgain()
            throws Exception {
        append("old", 0, 4, LONG_AGO);
        TargetCursor live = target.live(BEHIND);
        assertThat(next(live, 100)).as("the split: nothing came after it yet").isEmpty();
        append("new", 0, 3, Instant.now());

        assertThat(next(live, 100)).containsExactly("new0", "new1", "new2");
        assertThat(next(target, 100)).as("the cursor stops at the split").containsExactly("old0", "old1", "old2",
                "old3");
        live.settle(3, 0, 0, true);
        assertThat(status().written()).as("what the lane wrote counts as written at once").isEqualTo(3);
        assertThat(status().backlog()).isEqualTo(4);

        target.settle(4, 0, 0, true);
        assertThat(next(target, 100)).as("the lane's values are taken over, not handed out again").isEmpty();
        assertThat(status().written()).isEqualTo(7);
        assertThat(status().backlog()).isZero();
        assertThat(target.ledgerEntry().seq()).as("the ledger's position passes the lane's values").isEqualTo(7);

        append("later", 0, 2, Instant.now());
        assertThat(next(live, 100)).as("caught up: no split while the backlog is young").isEmpty();
        assertThat(next(target, 100)).containsExactly("later0", "later1");
        assertThat(target.repeating()).isFalse();
    }

    @Test
    void theLedgerKeepsTheCursorsPositionWhileTheLaneIsAhead() throws Exception {
        append("old", 0, 4, LONG_AGO);
        TargetCursor live = target.live(BEHIND);
        next(live, 100);
        append("new", 0, 3, Instant.now());
        next(live, 100);
        live.settle(3, 0, 0, true);

        assertThat(target.ledgerEntry().seq()).as("a restart writes the lane's values again, duplicate-safe")
                .isZero();
        assertThat(target.neededFrom(true)).as("the journal keeps the backlog and the lane's values").isZero();
    }

    @Test
    void aBatchTheLaneGivesBackIsHandedOutByTheCursorAsRepeating() throws Exception {
        append("old", 0, 2, LONG_AGO);
        TargetCursor live = target.live(BEHIND);
        next(live, 100);
        append("new", 0, 3, Instant.now());
        assertThat(next(live, 100)).hasSize(3);
        live.rewind();
        append("newer", 0, 1, Instant.now());
        assertThat(next(live, 100)).as("a lane that gave back waits for the cursor to catch up").isEmpty();

        assertThat(next(target, 100)).containsExactly("old0", "old1");
        assertThat(target.repeating()).isFalse();
        target.settle(2, 0, 0, true);
        assertThat(next(target, 100)).containsExactly("new0", "new1", "new2", "newer0");
        assertThat(target.repeating()).as("the lane's write may have committed: duplicate-safe").isTrue();
        target.settle(0, 4, 0, true);
        assertThat(status().backlog()).isZero();
        assertThat(status().written() + status().alreadyStored()).isEqualTo(routed);
    }

    @Test
    void theCursorWaitsForTheLanesBatchesInFlightAndThenGoesOnAfterThem() throws Exception {
        append("old", 0, 2, LONG_AGO);
        TargetCursor live = target.live(BEHIND);
        next(live, 100);
        append("new", 0, 2, Instant.now());
        next(live, 1);
        assertThat(next(target, 100)).containsExactly("old0", "old1");
        target.settle(2, 0, 0, true);

        assertThat(next(target, 100)).as("the lane holds new0: the cursor does not take it").isEmpty();
        live.settle(1, 0, 0, true);
        assertThat(next(target, 100)).as("the lane holds nothing more: joined, the cursor goes on after new0")
                .containsExactly("new1");
        assertThat(next(live, 100)).isEmpty();
        target.settle(1, 0, 0, true);
        assertThat(status().written()).isEqualTo(4);
        assertThat(status().backlog()).isZero();
    }

    @Test
    void noSplitWhileTheOldestValueWaitingIsYoungerThanTheLimit() throws Exception {
        append("fresh", 0, 3, Instant.now());
        TargetCursor live = target.live(BEHIND);
        assertThat(next(live, 100)).isEmpty();
        append("fresh", 3, 5, Instant.now());
        assertThat(next(live, 100)).isEmpty();
        assertThat(next(target, 100)).hasSize(5);
    }

    @Test
    void aSpillStopsAtTheSplitAndTakesTheLanesValuesOverAsWritten() throws Exception {
        append("old", 0, 3, LONG_AGO);
        TargetCursor live = target.live(BEHIND);
        next(live, 100);
        append("new", 0, 2, Instant.now());
        next(live, 100);
        live.settle(2, 0, 0, true);

        List<String> spilled = new ArrayList<>();
        int taken = target.takeOldest(100, Long.MAX_VALUE, 1000, (t, values) -> {
            values.forEach(v -> spilled.add(v.value().tagName()));
            return null;
        });
        assertThat(taken).isEqualTo(3);
        assertThat(spilled).as("written values are never backed up as well").containsExactly("old0", "old1",
                "old2");
        assertThat(target.takeOldest(100, Long.MAX_VALUE, 1000, (t, values) -> null)).isZero();
        assertThat(status().backedUp()).isEqualTo(3);
        assertThat(status().written()).isEqualTo(2);
        assertThat(status().backlog()).isZero();
    }

    @Test
    void aBatchTheLaneSettlesAfterItWasClosedIsHandedOutByTheCursorAsRepeating() throws Exception {
        append("old", 0, 2, LONG_AGO);
        TargetCursor live = target.live(BEHIND);
        next(live, 100);
        append("new", 0, 3, Instant.now());
        next(live, 100);
        live.close();
        live.settle(3, 0, 0, true);

        assertThat(next(target, 100)).containsExactly("old0", "old1");
        target.settle(2, 0, 0, true);
        assertThat(next(target, 100)).containsExactly("new0", "new1", "new2");
        assertThat(target.repeating()).as("the closed lane's write may have committed").isTrue();
    }

    @Test
    void theLaneHandsOutNothingOnceTheTargetsCursorIsClosed() throws Exception {
        append("old", 0, 2, LONG_AGO);
        TargetCursor live = target.live(BEHIND);
        next(live, 100);
        target.close();
        append("new", 0, 2, Instant.now());
        assertThat(next(live, 100)).isEmpty();
    }
}
