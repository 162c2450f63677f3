package io.tagbridge.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.monitor.MetricsSnapshot;
import io.tagbridge.api.pipeline.ReceivedValue;

class LatencyTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");

    private static List<ReceivedValue> valuesFrom(Instant source, int n) {
        return java.util.stream.IntStream.range(0, n)
                .mapToObj(i -> new ReceivedValue(TagValue.of("t" + i, source, i, Quality.GOOD), 0)).toList();
    }

    @Test
    void percentilesCoverTheWindowAndForgetOlderMinutes() {
        Latencies latencies = new Latencies(120);
        for (int i = 0; i < 98; i++) {
            latencies.written(Commit.of(valuesFrom(NOW.minusMillis(200), 1), TimeUnit.MILLISECONDS.toNanos(10), NOW));
        }
        latencies.written(Commit.of(valuesFrom(NOW.minusSeconds(5), 2), TimeUnit.MILLISECONDS.toNanos(900), NOW));

        MetricsSnapshot.Percentiles now = latencies.percentiles(NOW);
        assertThat(now.writeLatencyP50Ms()).isCloseTo(10, within(0.2));
        assertThat(now.writeLatencyP99Ms()).isCloseTo(900, within(9.0));
        assertThat(now.sourceToCommitP50Ms()).isCloseTo(200, within(2.0));
        assertThat(now.sourceToCommitP99Ms()).isCloseTo(5000, within(50.0));

        MetricsSnapshot.Percentiles later = latencies.percentiles(NOW.plusSeconds(181));
        assertThat(later.writeLatencyP99Ms()).as("three minutes on, a 2-minute window is empty").isZero();
    }

    @Test
    void theExpositionCountsEveryBatchInCumulativeBucketsWithConventionalNames() throws Exception {
        Latencies latencies = new Latencies(300);
        latencies.written(Commit.of(valuesFrom(NOW.minusMillis(30), 3), TimeUnit.MILLISECONDS.toNanos(20), NOW));
        latencies.written(Commit.of(valuesFrom(NOW.minusSeconds(2), 1), TimeUnit.MILLISECONDS.toNanos(700), NOW));
        MetricsComponent metrics = new MetricsComponent(MetricsComponentTest.config(300), java.time.Clock.fixed(NOW,
                java.time.ZoneOffset.UTC));
        metrics.state("plant", io.tagbridge.api.pipeline.TargetState.WRITING,
                io.tagbridge.api.pipeline.Diagnosis.of("COMMITTED", "writing"));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, PrometheusExposition.of(metrics.metrics(),
                Map.of("plant", latencies)), EscapingScheme.UNDERSCORE_ESCAPING);
        String text = out.toString(StandardCharsets.UTF_8);

        assertThat(text).contains("# TYPE tagbridge_values_accepted_total counter",
                "tagbridge_values_refused_total{reason=\"BUFFER_FULL\"} 0",
                "tagbridge_target_up{target=\"plant\"} 1",
                "# TYPE tagbridge_write_duration_seconds histogram",
                "tagbridge_write_duration_seconds_bucket{target=\"plant\",le=\"0.025\"} 1",
                "tagbridge_write_duration_seconds_bucket{target=\"plant\",le=\"1.0\"} 2",
                "tagbridge_write_duration_seconds_count{target=\"plant\"} 2",
                "tagbridge_source_to_commit_seconds_count{target=\"plant\"} 4",
                "tagbridge_source_to_commit_seconds_bucket{target=\"plant\",le=\"0.05\"} 3");
    }
}
