package io.tagbridge.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void everyValueFallsIntoTheBucketWhoseBoundsHoldIt() {
        LongStream.concat(LongStream.range(0, 5000), new Random(1).longs(5000, 0, 1L << 40)).forEach(v -> {
            int i = LatencyHistogram.index(v);
            assertThat(v).isLessThanOrEqualTo(LatencyHistogram.upperBound(i));
            if (i > 0) {
                assertThat(v).isGreaterThan(LatencyHistogram.upperBound(i - 1));
            }
        });
    }

    @Test
    void percentilesOfAUniformSpreadAreWithinTwoPercent() {
        LatencyHistogram h = new LatencyHistogram();
        for (long micros = 1; micros <= 100_000; micros++) {
            h.record(micros);
        }

        assertThat(h.percentileMillis(50)).isCloseTo(50.0, within(1.0));
        assertThat(h.percentileMillis(99)).isCloseTo(99.0, within(2.0));
        assertThat(h.percentileMillis(100)).isEqualTo(100.0);
        assertThat(h.averageMillis()).isCloseTo(50.0, within(0.01));
        assertThat(h.count()).isEqualTo(100_000);
    }

    @Test
    void aFewSlowValuesShowInTheHighPercentileOnly() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < 990; i++) {
            h.record(1_000);
        }
        for (int i = 0; i < 10; i++) {
            h.record(2_000_000);
        }

        assertThat(h.percentileMillis(50)).isCloseTo(1.0, within(0.02));
        assertThat(h.percentileMillis(99)).isCloseTo(1.0, within(0.02));
        assertThat(h.percentileMillis(99.9)).isCloseTo(2000.0, within(40.0));
    }

    @Test
    void nothingRecordedGivesZeroRatherThanAnError() {
        assertThat(new LatencyHistogram().percentileMillis(99)).isZero();
    }
}
