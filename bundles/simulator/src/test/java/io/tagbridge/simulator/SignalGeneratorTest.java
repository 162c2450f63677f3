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
}
