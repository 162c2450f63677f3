package io.tagbridge.example.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tagbridge.api.IngestResult;
import io.tagbridge.api.Quality;
import io.tagbridge.api.RefusalReason;
import io.tagbridge.api.TagIngest;
import io.tagbridge.api.TagValue;

class OutboxTest {

    /** A buffer that refuses while closed and records what it took. */
    private static final class Door implements TagIngest {
        boolean open;
        final List<TagValue> taken = new ArrayList<>();

        @Override
        public IngestResult offer(TagValue value) {
            return offer(List.of(value));
        }

        @Override
        public IngestResult offer(List<TagValue> values) {
            if (!open) {
                return IngestResult.refused(values.size(), RefusalReason.BUFFER_FULL, "closed");
            }
            taken.addAll(values);
            return IngestResult.accepted(values.size());
        }
    }

    private static TagValue reading(int n) {
        return TagValue.of("t", Instant.EPOCH.plusMillis(n), (double) n, Quality.GOOD);
    }

    @Test
    void refusedReadingsAreHeldAndOfferedAgainInTheirOrder() {
        Outbox outbox = new Outbox(10_000);
        Door door = new Door();
        for (int n = 0; n < 2_500; n++) {
            outbox.add(reading(n));
        }
        assertThat(outbox.offerTo(door).reasonCode()).isEqualTo(RefusalReason.BUFFER_FULL);
        assertThat(outbox.size()).isEqualTo(2_500);

        door.open = true;
        assertThat(outbox.offerTo(door)).isNull();
        assertThat(outbox.size()).isZero();
        assertThat(door.taken).extracting(v -> v.sourceTime().toEpochMilli()).containsExactlyElementsOf(
                java.util.stream.LongStream.range(0, 2_500).boxed().toList());
    }

    /** A buffer whose durable answers the test gives, one by one. */
    private static final class SlowDisk implements TagIngest {
        final List<List<TagValue>> offered = new ArrayList<>();
        final List<java.util.concurrent.CompletableFuture<IngestResult>> answers = new ArrayList<>();

        @Override
        public IngestResult offer(TagValue value) {
            throw new AssertionError("a durable driver never offers plainly");
        }

        @Override
        public IngestResult offer(List<TagValue> values) {
            throw new AssertionError("a durable driver never offers plainly");
        }

        @Override
        public java.util.concurrent.CompletionStage<IngestResult> offerDurably(List<TagValue> values) {
            offered.add(List.copyOf(values));
            java.util.concurrent.CompletableFuture<IngestResult> answer = new java.util.concurrent.CompletableFuture<>();
            answers.add(answer);
            return answer;
        }
    }

    @Test
    void aDurableOfferKeepsItsReadingsUntilTheAnswerAndOnlyOneIsOutAtATime() {
        Outbox outbox = new Outbox(10_000);
        SlowDisk disk = new SlowDisk();
        for (int n = 0; n < 1_500; n++) {
            outbox.add(reading(n));
        }

        var first = outbox.offerDurablyTo(disk);
        assertThat(outbox.offerDurablyTo(disk)).as("a second offer while the first waits").isNull();
        assertThat(outbox.waiting()).isTrue();
        assertThat(outbox.size()).as("readings out are still the driver's").isEqualTo(1_500);

        assertThat(outbox.answered(IngestResult.refused(1_000, RefusalReason.JOURNAL_UNAVAILABLE, "sync failed")))
                .isNotNull();
        assertThat(outbox.size()).isEqualTo(1_500);
        outbox.offerDurablyTo(disk);
        assertThat(disk.offered.get(1)).as("the refused slice goes again, first, in order")
                .isEqualTo(disk.offered.get(0));

        assertThat(outbox.answered(IngestResult.acceptedOnDisk(1_000))).isNull();
        assertThat(outbox.size()).isEqualTo(500);
        outbox.offerDurablyTo(disk);
        assertThat(disk.offered.get(2).get(0)).isEqualTo(reading(1_000));
        assertThat(first).isNotNull();
    }

    @Test
    void aFullOutboxDropsTheOldestAndCountsThem() {
        Outbox outbox = new Outbox(3);
        for (int n = 0; n < 5; n++) {
            outbox.add(reading(n));
        }
        Door door = new Door();
        door.open = true;
        outbox.offerTo(door);
        assertThat(outbox.dropped()).isEqualTo(2);
        assertThat(door.taken).extracting(v -> v.sourceTime().toEpochMilli()).containsExactly(2L, 3L, 4L);
    }
}
