package io.tagbridge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class TagValueTest {

    private static final Instant T = Instant.parse("2026-03-01T10:15:30.123456789Z");

    @Test
    void sourceTimeIsKeptToTheMicrosecond() {
        TagValue v = TagValue.of("line1.temp", T, 21.5, Quality.GOOD);
        assertThat(v.sourceTime()).isEqualTo(Instant.parse("2026-03-01T10:15:30.123456Z"));
    }

    @Test
    void smallIntegersAreWidenedToLongAndOddNumbersToBigDecimal() {
        assertThat(new TagValue("a", T, 7, Quality.GOOD).value()).isEqualTo(7L);
        assertThat(new TagValue("a", T, new java.util.concurrent.atomic.AtomicLong(5), Quality.GOOD).value())
                .isEqualTo(new BigDecimal("5"));
    }

    @Test
    void floatIsKeptAsTheDecimalItPrints() {
        assertThat(new TagValue("a", T, 0.1f, Quality.GOOD).value()).isEqualTo(0.1d);
    }

    @Test
    void nullValueIsAllowedForABadReading() {
        assertThat(new TagValue("a", T, null, Quality.BAD).value()).isNull();
    }

    @Test
    void errorsNameTheBadField() {
        assertThatThrownBy(() -> TagValue.of("", T, 1.0, Quality.GOOD)).hasMessageStartingWith("tagName:");
        assertThatThrownBy(() -> TagValue.of("a\nb", T, 1.0, Quality.GOOD)).hasMessageStartingWith("tagName:");
        assertThatThrownBy(() -> TagValue.of("x".repeat(257), T, 1.0, Quality.GOOD)).hasMessageStartingWith("tagName:");
        assertThatThrownBy(() -> TagValue.of("a", null, 1.0, Quality.GOOD)).hasMessageStartingWith("sourceTime:");
        assertThatThrownBy(() -> TagValue.of("a", T, Double.NaN, Quality.GOOD)).hasMessageStartingWith("value:");
        assertThatThrownBy(() -> new TagValue("a", T, new Object(), Quality.GOOD)).hasMessageStartingWith("value:");
        assertThatThrownBy(() -> TagValue.of("a", T, "x".repeat(4001), Quality.GOOD)).hasMessageStartingWith("value:");
        assertThatThrownBy(() -> TagValue.of("a", T, 1.0, null)).hasMessageStartingWith("quality:");
    }
}
