package io.tagbridge.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;

import org.junit.jupiter.api.Test;

class BufferSettingsTest {

    private static BufferConfig config(int capacity, OverflowPolicy policy, long blockMillis) {
        return new BufferConfig() {
            public Class<? extends Annotation> annotationType() { return BufferConfig.class; }
            public int capacity() { return capacity; }
            public OverflowPolicy overflowPolicy() { return policy; }
            public long blockTimeoutMillis() { return blockMillis; }
        };
    }

    @Test
    void eachProblemNamesItsProperty() {
        assertThat(BufferSettings.problems(config(0, null, -1))).containsExactly(
                "capacity is 0 but must be at least 1",
                "overflowPolicy must be one of BLOCK, REJECT_NEWEST, DROP_OLDEST",
                "blockTimeoutMillis is -1 but must be 0 or more");
    }

    @Test
    void aValidConfigurationHasNoProblems() {
        assertThat(BufferSettings.problems(config(10, OverflowPolicy.BLOCK, 0))).isEmpty();
    }
}
