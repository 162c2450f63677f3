package io.tagbridge.buffer.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;

/** A value as the journal stores it: every kind of value comes back as it went in, to the microsecond. */
class ValueCodecTest {

    private static final Instant T = Instant.parse("2026-03-01T12:00:00.123456Z");

    static List<TagValue> everyKind() {
        return List.of(TagValue.of("line1.count", T, 42L, Quality.GOOD),
                TagValue.of("line1.temp", T, 21.5, Quality.UNCERTAIN),
                TagValue.of("line1.state", T, "running: ünïcödé ✓", Quality.GOOD),
                TagValue.of("line1.on", T, Boolean.TRUE, Quality.GOOD),
                TagValue.of("line1.off", T, Boolean.FALSE, Quality.BAD),
                new TagValue("line1.exact", T, new BigDecimal("12345678901234567890.000000001"), Quality.GOOD),
                new TagValue("line1.none", T, null, Quality.BAD),
                TagValue.of("before.1970", Instant.parse("1969-12-31T23:59:59.999999Z"), -1L, Quality.GOOD));
    }

    @ParameterizedTest
    @MethodSource("everyKind")
    void everyKindOfValueReadsBackAsItWasWrittenWithinItsMaxSize(TagValue value) {
        ByteBuffer buffer = ByteBuffer.allocate(ValueCodec.maxSize(value) + 8);
        int end = ValueCodec.write(buffer, 4, value);

        ValueCodec.Read read = ValueCodec.read(buffer, 4);
        assertThat(read.value()).isEqualTo(value);
        assertThat(read.next()).isEqualTo(end);
        assertThat(end - 4).isLessThanOrEqualTo(ValueCodec.maxSize(value));
        assertThat(ValueCodec.skip(buffer, 4)).as("skipping without decoding").isEqualTo(end);
        assertThat(ValueCodec.tagName(buffer, 4)).isEqualTo(value.tagName());
    }

    @Test
    void valuesWrittenOneAfterTheOtherAreReadOneAfterTheOther() {
        List<TagValue> values = everyKind();
        ByteBuffer buffer = ByteBuffer.allocate(values.stream().mapToInt(ValueCodec::maxSize).sum());
        int at = 0;
        for (TagValue v : values) {
            at = ValueCodec.write(buffer, at, v);
        }
        at = 0;
        for (TagValue v : values) {
            ValueCodec.Read read = ValueCodec.read(buffer, at);
            assertThat(read.value()).isEqualTo(v);
            at = read.next();
        }
    }

    @Test
    void aDecimalTooLongForTheJournalIsSaidBeforeItIsWritten() {
        BigDecimal huge = new BigDecimal("9".repeat(ValueCodec.MAX_TEXT_BYTES + 1));
        assertThat(ValueCodec.maxSize(new TagValue("t", T, huge, Quality.GOOD))).isEqualTo(-1);
    }
}
