package io.tagbridge.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tagbridge.api.TagValue;

class SignalGeneratorTest {

    @Test
    void cyclesThroughAllTagsWithNumbersFlagsAndText() {
        List<TagValue> values = new SignalGenerator("sim.", 50).next(100, Instant.EPOCH);

        assertThat(values).hasSize(100);
        assertThat(values.stream().map(TagValue::tagName).distinct()).hasSize(50);
        assertThat(values).anyMatch(v -> v.value() instanceof Double);
        assertThat(values).anyMatch(v -> v.value() instanceof Boolean);
        assertThat(values).anyMatch(v -> v.value() instanceof String);
    }

    @Test
    void aTagThatComesTwiceInATickOrInTicksAtTheSameInstantGetsADifferentSourceTimeEachTime() {
        SignalGenerator generator = new SignalGenerator("sim.", 10);
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        List<TagValue> values = new java.util.ArrayList<>(generator.next(1000, now));
        values.addAll(generator.next(1000, now));

        assertThat(values.stream().map(v -> v.tagName() + "@" + v.sourceTime()).distinct()).hasSize(2000);
        assertThat(values.get(0).sourceTime()).isEqualTo(now);
    }
}
