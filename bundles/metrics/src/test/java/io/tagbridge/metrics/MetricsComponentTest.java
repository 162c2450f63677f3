package io.tagbridge.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.monitor.ComponentHealth;
import io.tagbridge.api.monitor.HealthReport;
import io.tagbridge.api.monitor.HealthStatus;
import io.tagbridge.api.monitor.MetricsSnapshot;
import io.tagbridge.api.pipeline.BufferStatus;
import io.tagbridge.api.pipeline.Diagnosis;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.TagBuffer;
import io.tagbridge.api.pipeline.TargetBacklog;
import io.tagbridge.api.pipeline.TargetCursor;
import io.tagbridge.api.pipeline.TargetState;
import io.tagbridge.testkit.ConfigDefaults;
import io.tagbridge.testkit.MovableClock;

class MetricsComponentTest {

    /** The form's buffer warning and alarm levels (see ConfigDefaults), which every test here runs with. */
    private static final int DEGRADED_PERCENT = ConfigDefaults.of(MetricsConfig.class, "bufferDegradedPercent");
    private static final int DOWN_PERCENT = ConfigDefaults.of(MetricsConfig.class, "bufferDownPercent");

    static MetricsConfig config(int windowSeconds) {
        return new MetricsConfig() {
            public Class<? extends Annotation> annotationType() { return MetricsConfig.class; }
            public int windowSeconds() { return windowSeconds; }
            public int bufferDegradedPercent() { return DEGRADED_PERCENT; }
            public int bufferDownPercent() { return DOWN_PERCENT; }
        };
    }

    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));

    private static List<ReceivedValue> values(int n) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return IntStream.range(0, n).mapToObj(i -> new ReceivedValue(TagValue.of("t", t.plusSeconds(i), i, Quality.GOOD),
                0)).toList();
    }

    /** A buffer that reports the fill level and target counters the test sets. */
    static final class FillBuffer implements TagBuffer {
        volatile double fill;
        volatile Map<String, TargetBacklog> targets = Map.of();
        volatile Diagnosis diagnosis = Diagnosis.of("JOURNALING", "values are in the journal on disk");
        volatile io.tagbridge.api.pipeline.UncleanStop uncleanStop;

        public BufferStatus status() {
            return new BufferStatus(true, 0, 0, fill, 0, 0, Map.of(), 0, "", targets, diagnosis,
                    uncleanStop == null ? 0 : 1, uncleanStop);
        }

        public TargetCursor open(String target, List<String> tagFilter) {
            throw new UnsupportedOperationException();
        }

        public void remove(String target) {
        }

        public void expect(String target, List<String> tagFilter) {
        }

        public void countRefused(int values, io.tagbridge.api.RefusalReason reason, String detail) {
        }
    }

    private static TargetBacklog counters(long written, long stored, long backedUp, long backlog) {
        return new TargetBacklog(written + stored + backedUp + backlog, written, stored, backedUp, Map.of(), backlog,
                backlog * 50, backlog == 0 ? null : Instant.parse("2025-12-31T23:59:00Z"), null);
    }

    private final FillBuffer buffer = new FillBuffer();

    /** A backup folder whose status the test sets. */
    static final class StatusBackup implements io.tagbridge.api.pipeline.BatchBackup {
        volatile io.tagbridge.api.pipeline.BackupStatus status = status(0, 0, Diagnosis.of("BACKUP_OK", "no backup files wait"));

        static io.tagbridge.api.pipeline.BackupStatus status(int pending, int quarantined, Diagnosis why) {
            return new io.tagbridge.api.pipeline.BackupStatus(java.nio.file.Path.of("backup"), pending, pending * 100L,
                    quarantined, quarantined * 10L, 4096, 1L << 32, 1L << 34, why);
        }

        public java.nio.file.Path save(String target, List<ReceivedValue> values, String reason) {
            throw new UnsupportedOperationException("metrics never back up");
        }
        public java.nio.file.Path directory() { return java.nio.file.Path.of("backup"); }
        public io.tagbridge.api.pipeline.BackupStatus status() { return status; }
        public List<io.tagbridge.api.pipeline.BackupFile> files() { return List.of(); }
        public List<ReceivedValue> read(java.nio.file.Path file) { return List.of(); }
    }

    private final StatusBackup backup = new StatusBackup();

    private MetricsComponent metrics(int windowSeconds) {
        MetricsComponent metrics = new MetricsComponent(config(windowSeconds), clock);
        metrics.buffer = buffer;
        metrics.backup = backup;
        return metrics;
    }

    @Test
    void aBackupFolderThatRefusesBackupsDegradesHealthAndSaysWhatToDo() {
        MetricsComponent metrics = metrics(300);
        metrics.state("default", TargetState.WRITING, Diagnosis.of("COMMITTED", "writing"));
        assertThat(metrics.health().status()).isEqualTo(HealthStatus.UP);

        backup.status = StatusBackup.status(3, 0, Diagnosis.of("BACKUP_FULL", "the backup folder holds 4096 MB, its "
                + "maximum (maxMegabytes 4096): raise maxMegabytes"));

        HealthReport health = metrics.health();
        assertThat(health.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(health.reason()).isEqualTo("BACKUP_FULL");
        assertThat(health.advice()).startsWith("backup: ").contains("maxMegabytes");
        assertThat(health.components().get("backup").details()).containsEntry("pendingFiles", 3);
        assertThat(metrics.metrics().totals().backupPendingFiles()).isEqualTo(3);
        assertThat(metrics.metrics().totals().backupPendingValues()).isEqualTo(300);
    }

    /** A health check that says what the test sets. */
    private static io.tagbridge.api.monitor.HealthCheck check(String name, HealthStatus status, String reason) {
        return new io.tagbridge.api.monitor.HealthCheck() {
            public String name() { return name; }
            public ComponentHealth check() {
                return new ComponentHealth(status, status.name(), reason, "restore etc/x.cfg", "", Map.of());
            }
        };
    }

    @Test
    void aHealthCheckThatIsDownMakesTheGatewayDownEvenWhileTargetsWrite() {
        MetricsComponent metrics = metrics(300);
        metrics.state("default", TargetState.WRITING, Diagnosis.of("COMMITTED", "writing"));
        metrics.healthChecks.add(check("security", HealthStatus.DOWN, "SECRET_KEY_MISSING"));

        HealthReport health = metrics.health();

        assertThat(health.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(health.reason()).isEqualTo("SECRET_KEY_MISSING");
        assertThat(health.advice()).startsWith("security: ");
        assertThat(health.components()).containsKey("security");
    }

    @Test
    void aHealthCheckThatIsDownDecidesBeforeTheMissingTargetsItMayHaveCaused() {
        MetricsComponent metrics = metrics(300);
        metrics.healthChecks.add(check("configuration", HealthStatus.DOWN, "CONFIGURATION_FILE_DAMAGED"));

        assertThat(metrics.health().reason()).isEqualTo("CONFIGURATION_FILE_DAMAGED");
    }

    @Test
    void aDegradedHealthCheckDegradesAGatewayThatIsOtherwiseUp() {
        MetricsComponent metrics = metrics(300);
        metrics.state("default", TargetState.WRITING, Diagnosis.of("COMMITTED", "writing"));
        metrics.healthChecks.add(check("configuration", HealthStatus.DEGRADED, "CONFIGURATION_FILE_DAMAGED"));

        HealthReport health = metrics.health();

        assertThat(health.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(health.reason()).isEqualTo("CONFIGURATION_FILE_DAMAGED");
    }

    @Test
    void aJournalThatCannotBeWrittenMakesTheGatewayDown() {
        MetricsComponent metrics = metrics(300);
        metrics.state("default", TargetState.WRITING, Diagnosis.of("COMMITTED", "writing"));
        buffer.diagnosis = new Diagnosis("JOURNAL_UNAVAILABLE", "free space on the disk of the data directory",
                "No space left on device");

        HealthReport health = metrics.health();

        assertThat(health.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(health.reason()).isEqualTo("JOURNAL_UNAVAILABLE");
        assertThat(health.components().get("buffer").state()).isEqualTo("REFUSING");
    }

    @Test
    void anUncleanStopDegradesHealthAndShowsTheLastSyncAndTheNewestValueFound() {
        MetricsComponent metrics = metrics(300);
        metrics.state("default", TargetState.WRITING, Diagnosis.of("COMMITTED", "writing"));
        buffer.diagnosis = Diagnosis.of("UNCLEAN_STOP", "the gateway did not stop in order");
        buffer.uncleanStop = new io.tagbridge.api.pipeline.UncleanStop(Instant.parse("2026-01-01T00:01:00Z"),
                Instant.parse("2026-01-01T00:00:00.200Z"), Instant.parse("2026-01-01T00:00:00.350Z"));

        HealthReport health = metrics.health();

        assertThat(health.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(health.reason()).isEqualTo("UNCLEAN_STOP");
        assertThat(health.components().get("buffer").details())
                .containsEntry("lastSync", "2026-01-01T00:00:00.200Z")
                .containsEntry("newestFound", "2026-01-01T00:00:00.350Z")
                .containsEntry("uncleanStops", 1L);
        assertThat(metrics.metrics().totals().uncleanStops()).isEqualTo(1);
    }

    @Test
    void conflictsAndReplaysAreCountedPerTargetAndInTotal() {
        MetricsComponent metrics = metrics(300);
        metrics.conflicting("default", 2);
        metrics.replayed("default", 400, 100, 3);

        assertThat(metrics.metrics().targets().get("default").valuesConflicting()).isEqualTo(2);
        assertThat(metrics.metrics().targets().get("default").valuesReplayed()).isEqualTo(500);
        assertThat(metrics.metrics().targets().get("default").valuesQuarantined()).isEqualTo(3);
        assertThat(metrics.metrics().totals().valuesReplayed()).isEqualTo(500);
    }

    private static final Diagnosis NO_LISTENER = new Diagnosis("NO_LISTENER", "nothing listens at that host and port",
            "ORA-12541: Cannot connect. No listener at host db1 port 1521.");

    @Test
    void averagesAndRatesCoverTheBatchesInTheWindow() {
        MetricsComponent metrics = metrics(300);
        clock.advance(Duration.ofSeconds(10));
        metrics.written("default", values(500), 0, 4_000_000);
        metrics.written("default", values(300), 0, 2_000_000);
        metrics.failed("default", 200, 1_000_000, NO_LISTENER);
        buffer.targets = Map.of("default", counters(800, 0, 0, 0));

        MetricsSnapshot m = metrics.metrics();

        assertThat(m.averageBatchSize()).isEqualTo(400);
        assertThat(m.averageWriteLatencyMs()).isEqualTo(3.0);
        assertThat(m.writeSuccessCount()).isEqualTo(2);
        assertThat(m.writeFailureCount()).isEqualTo(1);
        assertThat(m.successRatePercent()).isCloseTo(66.67, within(0.01));
        assertThat(m.throughputPerSecond()).as("800 values over the 10 s since start").isEqualTo(80);
        assertThat(m.totals().valuesWritten()).isEqualTo(800);
    }

    @Test
    void theBuffersCountersAreShownPerTargetAndSummedInTotal() {
        MetricsComponent metrics = metrics(300);
        metrics.written("a", values(100), 0, 1);
        metrics.written("b", values(10), 0, 1);
        buffer.targets = Map.of("a", counters(160, 40, 0, 0), "b", counters(10, 0, 5, 7));

        MetricsSnapshot m = metrics.metrics();

        assertThat(m.totals().valuesWritten()).isEqualTo(170);
        assertThat(m.totals().valuesAlreadyStored()).isEqualTo(40);
        assertThat(m.totals().valuesBackedUp()).isEqualTo(5);
        assertThat(m.totals().backlog()).isEqualTo(7);
        assertThat(m.targets().get("a").valuesWritten()).isEqualTo(160);
        assertThat(m.targets().get("a").valuesAlreadyStored()).isEqualTo(40);
        assertThat(m.targets().get("b").valuesBackedUp()).isEqualTo(5);
        assertThat(m.targets().get("b").backlog()).isEqualTo(7);
        assertThat(m.targets().get("b").oldestUnsentAgeSeconds()).isEqualTo(60);
        assertThat(m.targets().get("b").writeSuccessCount()).isEqualTo(1);
    }

    @Test
    void aTargetTheBufferKeepsButNoWriterReportedIsShownAsNotRunning() {
        MetricsComponent metrics = metrics(300);
        metrics.state("live", TargetState.WRITING, Diagnosis.of("COMMITTED", "writing"));
        buffer.targets = Map.of("live", counters(1, 0, 0, 0), "orphan", counters(0, 0, 0, 12));

        HealthReport health = metrics.health();

        assertThat(health.targets().get("orphan").state()).isEqualTo("STOPPED");
        assertThat(health.targets().get("orphan").reason()).isEqualTo("WRITER_NOT_RUNNING");
        assertThat(health.status()).isEqualTo(HealthStatus.DEGRADED);
    }

    @Test
    void throughputUsesTheWholeWindowOnceItHasPassed() {
        MetricsComponent metrics = metrics(60);
        clock.advance(Duration.ofSeconds(100));
        metrics.written("default", values(600), 0, 1);

        assertThat(metrics.metrics().throughputPerSecond()).isEqualTo(10);
    }

    @Test
    void batchesOlderThanTheWindowNoLongerCount() {
        MetricsComponent metrics = metrics(300);
        metrics.written("default", values(500), 0, 1);
        clock.advance(Duration.ofSeconds(299));
        metrics.written("default", values(100), 0, 1);
        assertThat(metrics.metrics().writeSuccessCount()).isEqualTo(2);

        clock.advance(Duration.ofSeconds(1));

        assertThat(metrics.metrics().writeSuccessCount()).isEqualTo(1);
        assertThat(metrics.metrics().averageBatchSize()).isEqualTo(100);
    }

    @Test
    void withNothingAttemptedTheSuccessRateIs100AndAveragesAreZero() {
        MetricsSnapshot m = metrics(300).metrics();
        assertThat(m.successRatePercent()).isEqualTo(100);
        assertThat(m.averageBatchSize()).isZero();
        assertThat(m.totals().lastSuccessfulWrite()).isNull();
    }

    @Test
    void healthIsDownWithoutATargetAndSaysWhatToConfigure() {
        HealthReport health = metrics(300).health();

        assertThat(health.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(health.reason()).isEqualTo("NO_TARGET");
        assertThat(health.advice()).contains("io.tagbridge.writer");
    }

    @Test
    void aSingleTargetIsDegradedAtItsFirstFailedAttemptAndDownOnceItsRetriesAreExhausted() {
        MetricsComponent metrics = metrics(300);
        metrics.state("default", TargetState.WRITING, Diagnosis.of("COMMITTED", "writing"));
        assertThat(metrics.health().status()).isEqualTo(HealthStatus.UP);

        metrics.state("default", TargetState.RETRYING, NO_LISTENER);
        assertThat(metrics.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(metrics.health().targets().get("default").status()).isEqualTo(HealthStatus.DEGRADED);

        metrics.state("default", TargetState.UNAVAILABLE, NO_LISTENER);
        HealthReport down = metrics.health();
        assertThat(down.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(down.reason()).isEqualTo("NO_LISTENER");
        ComponentHealth target = down.targets().get("default");
        assertThat(target.state()).isEqualTo("UNAVAILABLE");
        assertThat(target.advice()).doesNotContain("db1");
        assertThat(target.error()).contains("ORA-12541").contains("db1");

        metrics.state("default", TargetState.WRITING, Diagnosis.of("COMMITTED", "writing"));
        assertThat(metrics.health().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void aFillingBufferIsDegradedAtItsWarningMarkAndDownAtItsAlarmMark() {
        MetricsComponent metrics = metrics(300);
        metrics.state("default", TargetState.WRITING, Diagnosis.of("COMMITTED", "writing"));

        buffer.fill = DEGRADED_PERCENT;
        assertThat(metrics.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(metrics.health().reason()).isEqualTo("BUFFER_FILLING");

        buffer.fill = DOWN_PERCENT;
        assertThat(metrics.health().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(metrics.health().components().get("buffer").reason()).isEqualTo("BUFFER_NEARLY_FULL");
    }

    @Test
    void aJournalSegmentOfAnUnknownFormatTurnsHealthDownWithAdvice() {
        MetricsComponent metrics = metrics(300);
        metrics.state("default", TargetState.WRITING, Diagnosis.of("COMMITTED", "writing"));
        buffer.diagnosis = new Diagnosis("JOURNAL_FORMAT_UNKNOWN", "run the newer Tagbridge", "segment-0.tbj: format 9");

        HealthReport health = metrics.health();

        assertThat(health.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(health.reason()).isEqualTo("JOURNAL_FORMAT_UNKNOWN");
        assertThat(health.advice()).startsWith("buffer: run the newer");
    }

    @Test
    void withoutABufferHealthIsDownAndSaysWhichBundleToStart() {
        MetricsComponent metrics = new MetricsComponent(config(300), clock);
        metrics.state("default", TargetState.WRITING, Diagnosis.of("COMMITTED", "writing"));

        assertThat(metrics.health().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(metrics.health().advice()).contains("io.tagbridge.buffer");
    }

    @Test
    void oneDeadTargetBesideOneThatWritesIsDegradedAndNamesTheDeadOne() {
        MetricsComponent metrics = metrics(300);
        metrics.state("live", TargetState.WRITING, Diagnosis.of("COMMITTED", "writing"));
        metrics.state("dead", TargetState.UNAVAILABLE, NO_LISTENER);

        HealthReport health = metrics.health();

        assertThat(health.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(health.advice()).startsWith("target dead: ");
        assertThat(health.reason()).isEqualTo("NO_LISTENER");
    }

    @Test
    void aStoppedTargetStaysVisibleUntilItsConfigurationIsDeleted() {
        MetricsComponent metrics = metrics(300);
        metrics.state("a", TargetState.WRITING, Diagnosis.of("STARTED", "started"));
        metrics.state("a", TargetState.STOPPED, Diagnosis.of("WRITER_BUNDLE_STOPPED", "start io.tagbridge.writer"));
        assertThat(metrics.health().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(metrics.health().reason()).isEqualTo("WRITER_BUNDLE_STOPPED");

        metrics.removed("a");

        assertThat(metrics.health().targets()).isEmpty();
        assertThat(metrics.health().reason()).isEqualTo("NO_TARGET");
    }

    @Test
    void aTargetRemovedBeforeItsWriterReportsStoppingStaysRemoved() {
        MetricsComponent metrics = metrics(300);
        metrics.state("a", TargetState.WRITING, Diagnosis.of("STARTED", "started"));

        metrics.removed("a");
        metrics.state("a", TargetState.STOPPED, Diagnosis.of("CONFIGURATION_DELETED", "deleted"));

        assertThat(metrics.health().targets()).isEmpty();
    }
}
