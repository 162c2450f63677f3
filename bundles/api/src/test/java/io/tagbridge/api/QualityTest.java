package io.tagbridge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class QualityTest {

    @ParameterizedTest
    @CsvSource({ "192,GOOD", "216,GOOD", "64,UNCERTAIN", "84,UNCERTAIN", "0,BAD", "24,BAD", "128,BAD" })
    void categoryComesFromTheTwoHighBits(int code, Quality.Category expected) {
        assertThat(Quality.of(code).category()).isEqualTo(expected);
    }

    @Test
    void namesMapToTheirPlainCodes() {
        assertThat(Quality.of("good")).isEqualTo(Quality.GOOD);
        assertThat(Quality.of("UNCERTAIN").code()).isEqualTo(64);
        assertThatThrownBy(() -> Quality.of("fine")).hasMessageContaining("quality: 'fine'");
    }

    @Test
    void codesOutsideAByteAreRefused() {
        assertThatThrownBy(() -> Quality.of(256)).hasMessageStartingWith("quality:");
        assertThatThrownBy(() -> Quality.of(-1)).hasMessageStartingWith("quality:");
    }
}
