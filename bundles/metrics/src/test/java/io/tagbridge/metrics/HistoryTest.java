package io.tagbridge.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tagbridge.api.monitor.MetricsSample;
import io.tagbridge.api.pipeline.TargetBacklog;
import io.tagbridge.testkit.MovableClock;

class HistoryTest {

    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final MetricsComponentTest.FillBuffer buffer = new MetricsComponentTest.FillBuffer();

    private static TargetBacklog counters(long written, long backlog) {
        return new TargetBacklog(written + backlog, written, 0, 0, Map.of(), backlog, 0, null, null);
    }

    @Test
    void eachSampleHoldsWhatTheCountersMovedByInItsSecondAndTheBacklogAtItsEnd() {
        MetricsComponent metrics = new MetricsComponent(MetricsComponentTest.config(3), clock);
        metrics.buffer = buffer;
        History history = new History(3);

        buffer.targets = Map.of("a", counters(100, 5), "b", counters(0, 0));
        history.sample(metrics.metrics(), clock.instant());
        for (int second = 1; second <= 4; second++) {
            clock.advance(Duration.ofSeconds(1));
            buffer.targets = Map.of("a", counters(100 + 1000L * second, 5 * second), "b", counters(10L * second, 0));
            history.sample(metrics.metrics(), clock.instant());
        }

        assertThat(history.samples()).as("the last 3 seconds, the first call only noted the counters").hasSize(3);
        MetricsSample last = history.samples().get(2);
        assertThat(last.at()).isEqualTo(clock.instant());
        assertThat(last.written()).isEqualTo(1010);
        assertThat(last.writtenByTarget()).containsEntry("a", 1000L).containsEntry("b", 10L);
        assertThat(last.backlogByTarget()).containsEntry("a", 20L).containsEntry("b", 0L);
    }

    @Test
    void aTickALittleLateOrEarlyStillTakesTheNextSecondAndALongStallShowsAsAGap() {
        MetricsComponent metrics = new MetricsComponent(MetricsComponentTest.config(3), clock);
        metrics.buffer = buffer;
        buffer.targets = Map.of("a", counters(0, 0));
        History history = new History(10);
        history.sample(metrics.metrics(), clock.instant());
        for (long millis : new long[] { 999, 1_002, 998, 1_000, 5_000 }) {
            clock.advance(Duration.ofMillis(millis));
            history.sample(metrics.metrics(), clock.instant());
        }

        List<Long> seconds = history.samples().stream().map(s -> s.at().getEpochSecond()).toList();
        long first = seconds.get(0);
        assertThat(seconds).containsExactly(first, first + 1, first + 2, first + 3, first + 8);
    }
}
