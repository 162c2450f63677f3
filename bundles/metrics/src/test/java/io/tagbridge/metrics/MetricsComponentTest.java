package io.tagbridge.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.annotation.Annotation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import io.tagbridge.api.monitor.HealthStatus;
import io.tagbridge.api.monitor.MetricsSnapshot;
import io.tagbridge.api.pipeline.WriterState;

class MetricsComponentTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        void advance(Duration d) { now = now.plus(d); }
        public ZoneId getZone() { return ZoneOffset.UTC; }
        public Clock withZone(ZoneId zone) { return this; }
        public Instant instant() { return now; }
    }

    static MetricsConfig config(int windowSeconds) {
        return new MetricsConfig() {
            public Class<? extends Annotation> annotationType() { return MetricsConfig.class; }
            public int windowSeconds() { return windowSeconds; }
            public int bufferDegradedPercent() { return 80; }
            public int bufferDownPercent() { return 95; }
        };
    }

    private final ManualClock clock = new ManualClock();

    @Test
    void averagesAndRatesCoverTheBatchesInTheWindow() {
        MetricsComponent metrics = new MetricsComponent(config(300), clock);
        clock.advance(Duration.ofSeconds(10));
        metrics.written("default", 500, 4_000_000);
        metrics.written("default", 300, 2_000_000);
        metrics.failed("default", 200, 1_000_000, "down");

        MetricsSnapshot m = metrics.metrics();

        assertThat(m.averageBatchSize()).isEqualTo(400);
        assertThat(m.averageWriteLatencyMs()).isEqualTo(3.0);
        assertThat(m.writeSuccessCount()).isEqualTo(2);
        assertThat(m.writeFailureCount()).isEqualTo(1);
        assertThat(m.successRatePercent()).isCloseTo(66.67, within(0.01));
        assertThat(m.throughputPerSecond()).as("800 values over the 10 s since start").isEqualTo(80);
        assertThat(m.valuesWritten()).isEqualTo(800);
    }

    @Test
    void throughputUsesTheWholeWindowOnceItHasPassed() {
        MetricsComponent metrics = new MetricsComponent(config(60), clock);
        clock.advance(Duration.ofSeconds(100));
        metrics.written("default", 600, 1);

        assertThat(metrics.metrics().throughputPerSecond()).isEqualTo(10);
    }

    @Test
    void batchesOlderThanTheWindowNoLongerCount() {
        MetricsComponent metrics = new MetricsComponent(config(300), clock);
        metrics.written("default", 500, 1);
        clock.advance(Duration.ofSeconds(299));
        metrics.written("default", 100, 1);
        assertThat(metrics.metrics().writeSuccessCount()).isEqualTo(2);

        clock.advance(Duration.ofSeconds(1));

        assertThat(metrics.metrics().writeSuccessCount()).isEqualTo(1);
        assertThat(metrics.metrics().averageBatchSize()).isEqualTo(100);
    }

    @Test
    void withNothingAttemptedTheSuccessRateIs100AndAveragesAreZero() {
        MetricsSnapshot m = new MetricsComponent(config(300), clock).metrics();
        assertThat(m.successRatePercent()).isEqualTo(100);
        assertThat(m.averageBatchSize()).isZero();
        assertThat(m.lastSuccessfulWrite()).isNull();
    }

    @Test
    void healthIsDownWithoutAWriterAndSaysWhatToConfigure() {
        MetricsComponent metrics = new MetricsComponent(config(300), clock);
        var health = metrics.health();
        assertThat(health.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(health.components().get("database").message()).contains("io.tagbridge.writer");
    }

    @Test
    void healthFollowsTheWriterFromUpToDownAndBack() {
        MetricsComponent metrics = new MetricsComponent(config(300), clock);
        metrics.state("default", WriterState.RUNNING, "started");
        metrics.written("default", 10, 1);
        assertThat(metrics.health().components().get("database").status()).isEqualTo(HealthStatus.UP);

        metrics.state("default", WriterState.DATABASE_UNAVAILABLE, "ORA-12541: no listener");
        assertThat(metrics.health().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(metrics.health().components().get("database").message()).contains("ORA-12541");

        metrics.state("default", WriterState.RUNNING, "writing");
        assertThat(metrics.health().components().get("database").status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void recentFailuresMakeHealthDegradedUntilTheyLeaveTheWindow() {
        MetricsComponent metrics = new MetricsComponent(config(60), clock);
        metrics.state("default", WriterState.RUNNING, "started");
        metrics.failed("default", 10, 1, "timeout");
        metrics.written("default", 10, 1);
        assertThat(metrics.health().components().get("writes").status()).isEqualTo(HealthStatus.DEGRADED);

        clock.advance(Duration.ofSeconds(61));

        assertThat(metrics.health().components().get("writes").status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void aStoppedWriterNoLongerCounts() {
        MetricsComponent metrics = new MetricsComponent(config(300), clock);
        metrics.state("a", WriterState.MISCONFIGURED, "batchSize is -1");
        assertThat(metrics.health().status()).isEqualTo(HealthStatus.DOWN);
        metrics.state("a", WriterState.STOPPED, "stopped");
        assertThat(metrics.health().components().get("database").message()).startsWith("no writer is running");
    }
}
