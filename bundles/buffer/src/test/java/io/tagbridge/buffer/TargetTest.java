package io.tagbridge.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
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
import io.tagbridge.buffer.journal.HeapStorage;
import io.tagbridge.buffer.journal.Journal;
import io.tagbridge.buffer.journal.JournalEvents;
import io.tagbridge.buffer.journal.Segment;

/** One target's cursor over a journal in memory: what it hands out, what settling and rewinding do. */
class TargetTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final JournalEvents NOTHING_DAMAGED = new JournalEvents() {
        @Override
        public void damaged(Segment segment, int offset, long bytes, long values, String what, boolean late) {
            throw new AssertionError("a journal in memory found damage: " + what);
        }

        @Override
        public void unreadable(String file, String why) {
            throw new AssertionError("a journal in memory found " + file + " unreadable: " + why);
        }
    };

    private Journal journal;
    private Signals signals;

    @BeforeEach
    void openJournal() throws IOException {
        journal = Journal.open(new HeapStorage(1 << 20), NOTHING_DAMAGED, 0);
        signals = new Signals(journal);
    }

    private Target open(String... globs) {
        TagFilter filter = TagFilter.of(List.of(globs));
        Target target = new Target(journal, signals, "plant", filter, journal.position(0), new Counters(), 0);
        target.reopen(filter);
        return target;
    }

    private void append(String prefix, int from, int to) throws IOException {
        List<TagValue> values = IntStream.range(from, to)
                .mapToObj(i -> TagValue.of(prefix + i, T0.plusMillis(i), (long) i, Quality.GOOD)).toList();
        assertThat(journal.append(values, ReceivedValue.micros(T0), new long[1])).isEqualTo(Journal.Appended.OK);
    }

    private static List<String> tags(List<ReceivedValue> values) {
        return values.stream().map(v -> v.value().tagName()).toList();
    }

    private static List<ReceivedValue> next(Target target, int max) throws InterruptedException {
        List<ReceivedValue> batch = new ArrayList<>();
        target.next(batch, max, 0, TimeUnit.MILLISECONDS);
        return batch;
    }

    @Test
    void aCursorHandsOutTheTagsItsFilterTakesInTheOrderTheyCame() throws Exception {
        Target target = open("line1.*");
        append("line1.t", 0, 3);
        append("line2.t", 0, 3);
        append("line1.t", 3, 5);

        assertThat(tags(next(target, 10))).containsExactly("line1.t0", "line1.t1", "line1.t2", "line1.t3",
                "line1.t4");
        assertThat(target.repeating()).as("values never handed out before").isFalse();
    }

    @Test
    void valuesTakenButNotSettledComeAgainAfterARewindAndSaySo() throws Exception {
        Target target = open();
        append("t", 0, 10);
        List<ReceivedValue> first = next(target, 4);
        target.settle(4, 0, 0, true);
        List<ReceivedValue> taken = next(target, 4);

        target.rewind();
        List<ReceivedValue> again = next(target, 4);
        assertThat(again).isEqualTo(taken);
        assertThat(target.repeating()).as("the batch may have been written before").isTrue();
        assertThat(again).doesNotContainAnyElementsOf(first);
    }

    @Test
    void settlingMoreValuesThanWereTakenIsRefusedAsTheBugItIs() throws Exception {
        Target target = open();
        append("t", 0, 10);
        next(target, 5);

        assertThatThrownBy(() -> target.settle(6, 0, 0, true)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("settled 6 values but had 5 taken");
    }

    @Test
    void aSecondCursorForTheSameTargetIsRefusedNamingTheLikelyCause() {
        Target target = open();

        assertThatThrownBy(() -> target.reopen(TagFilter.of(List.of()))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two writers configured with the same name");
    }

    @Test
    void theBacklogIsWhatWasRoutedAndNotYetSettled() throws Exception {
        Target target = open();
        append("t", 0, 10);
        next(target, 6);
        target.settle(4, 2, 0, true);

        assertThat(target.backlog(10).backlog()).isEqualTo(4);
        assertThat(target.backlog(10).written()).isEqualTo(4);
        assertThat(target.backlog(10).alreadyStored()).isEqualTo(2);
    }

    @Test
    void aClosedCursorStartsAgainFromWhatItSettled() throws Exception {
        Target target = open();
        append("t", 0, 10);
        next(target, 3);
        target.settle(3, 0, 0, true);
        List<ReceivedValue> unsettled = next(target, 3);
        target.close();

        target.reopen(TagFilter.of(List.of()));
        assertThat(next(target, 3)).isEqualTo(unsettled);
        assertThat(target.repeating()).isTrue();
    }
}
