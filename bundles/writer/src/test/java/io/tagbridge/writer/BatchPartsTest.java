package io.tagbridge.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.ReceivedValue;

class BatchPartsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** {@code count} values cycling over {@code tags} tags, each tag's source times rising in the batch's order. */
    static List<ReceivedValue> cycling(int count, int tags) {
        return IntStream.range(0, count).mapToObj(i -> Fixtures.received(TagValue.of("tag" + i % tags,
                T0.plusMillis(i), (long) i, Quality.GOOD))).toList();
    }

    @Test
    void eachTagsValuesGoToOnePartInTheBatchsOrderAndNoValueIsLostOrRepeated() {
        List<ReceivedValue> batch = cycling(1_000, 7);
        List<List<ReceivedValue>> parts = BatchParts.byTag(batch, 3);
        assertThat(parts).hasSize(3);
        List<ReceivedValue> all = new ArrayList<>();
        parts.forEach(all::addAll);
        assertThat(all).containsExactlyInAnyOrderElementsOf(batch);
        for (List<ReceivedValue> part : parts) {
            for (List<ReceivedValue> other : parts) {
                if (other != part) {
                    assertThat(tags(part)).doesNotContainAnyElementsOf(tags(other));
                }
            }
            for (String tag : tags(part)) {
                assertThat(part.stream().filter(v -> v.value().tagName().equals(tag)).toList())
                        .isEqualTo(batch.stream().filter(v -> v.value().tagName().equals(tag)).toList());
            }
        }
    }

    @Test
    void partsComeOutNearEqualWhenOneTagCarriesMostValues() {
        List<ReceivedValue> batch = new ArrayList<>(cycling(600, 60));
        batch.addAll(IntStream.range(0, 400).mapToObj(i -> Fixtures.received(TagValue.of("busy",
                T0.plusMillis(i), (long) i, Quality.GOOD))).toList());
        List<List<ReceivedValue>> parts = BatchParts.byTag(batch, 2);
        assertThat(parts).extracting(List::size).containsExactlyInAnyOrder(500, 500);
    }

    @Test
    void aBatchWithFewerTagsThanPartsMakesOnePartPerTag() {
        assertThat(BatchParts.byTag(cycling(1_000, 2), 4)).hasSize(2);
        assertThat(BatchParts.byTag(cycling(1_000, 1), 4)).hasSize(1);
    }

    @Test
    void withoutLeavesOutTheVeryValuesGivenInTheBatchsOrder() {
        List<ReceivedValue> batch = cycling(10, 10);
        assertThat(BatchParts.without(batch, List.of(batch.get(3), batch.get(7))))
                .containsExactlyElementsOf(batch.stream().filter(v -> v != batch.get(3) && v != batch.get(7)).toList());
    }

    private static List<String> tags(List<ReceivedValue> part) {
        return part.stream().map(v -> v.value().tagName()).distinct().toList();
    }
}
