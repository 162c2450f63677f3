package io.tagbridge.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

import io.tagbridge.api.TagIngest;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.monitor.ComponentHealth;
import io.tagbridge.api.monitor.HealthStatus;
import io.tagbridge.api.monitor.PipelineMonitor;
import io.tagbridge.testkit.Await;
import io.tagbridge.testkit.H2Server;

@ExtendWith(ServiceExtension.class)
class OutageTest {

    @InjectService
    ConfigurationAdmin cm;

    @InjectService
    TagIngest ingest;

    @InjectService
    PipelineMonitor monitor;

    private long written(String target) {
        var t = Seen.metrics(monitor).targets().get(target);
        return t == null ? 0 : t.valuesWritten() + t.valuesAlreadyStored();
    }

    @Test
    void duringAnOutageValuesWaitInTheJournalAndAreWrittenInOrderWhenTheDatabaseIsBack() throws Exception {
        Assumptions.assumeFalse(TestDatabase.isOracle(), "the outage test needs an H2 server process it can kill");
        try (H2Server server = TestDatabase.h2Server(); TestPipeline pipeline = new TestPipeline(cm)) {
            server.start();
            pipeline.pool("kept", server.url("kept"));
            pipeline.writer("kept", "kept", "KEPT_VALUES",
                    Map.of("retryDelaySeconds", 0.2, "retryMaxDelaySeconds", 5.0, "outageProbeSeconds", 1.0));
            DataSource db = pipeline.dataSource("kept");
            Seen.offer(ingest, TestPipeline.values("before.", 0, 500));
            Await.until("the first 500 values committed", TestPipeline.TIMEOUT, () -> written("kept"), n -> n == 500);

            server.kill();
            List<TagValue> during = TestPipeline.values("during.", 0, 300);
            assertThat(Seen.offer(ingest, during).allAccepted()).isTrue();
            ComponentHealth down = Await.until("the target to give up retrying", TestPipeline.TIMEOUT,
                    () -> Seen.health(monitor).targets().get("kept"), t -> t.state().equals("UNAVAILABLE"));
            assertThat(down.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(down.advice()).contains("wait in the journal");
            assertThat(Seen.metrics(monitor).targets().get("kept").backlog()).isEqualTo(300);
            assertThat(pipeline.backedUpKeys()).as("no CSV file for an outage while the journal keeps the values")
                    .isEmpty();

            server.start();
            Await.until("the 300 values written once the database is back", TestPipeline.TIMEOUT,
                    () -> Seen.metrics(monitor).targets().get("kept").backlog(), n -> n == 0);
            assertThat(TestPipeline.rows(db, "KEPT_VALUES")).isEqualTo(800);
            assertThat(TestPipeline.distinctKeys(db, "KEPT_VALUES")).isEqualTo(800);
            assertThat(pipeline.backedUpKeys()).isEmpty();
            assertThat(Seen.health(monitor).targets().get("kept").state()).isEqualTo("WRITING");
        }
    }

    @Test
    void withOutageModeBackupValuesEndUpInCsvExactlyAfterTheRetrySchedule() throws Exception {
        Assumptions.assumeFalse(TestDatabase.isOracle(), "the outage test needs an H2 server process it can kill");
        try (H2Server server = TestDatabase.h2Server(); TestPipeline pipeline = new TestPipeline(cm)) {
            server.start();
            pipeline.pool("remote", server.url("outage"));
            pipeline.writer("remote", "remote", "OUTAGE_VALUES", Map.of("retryDelaySeconds", 0.2,
                    "retryMaxDelaySeconds", 5.0, "outageProbeSeconds", 60.0, "outageMode", "BACKUP"));
            DataSource db = pipeline.dataSource("remote");
            List<TagValue> before = TestPipeline.values("before.", 0, 500);
            Seen.offer(ingest, before);
            // Waiting for the writer to see its commits, not just for the rows: a server killed between a commit
            // and its answer leaves the outcome unknown to the writer, which then backs the batch up as well.
            Await.until("the writer to see the first 500 values committed", TestPipeline.TIMEOUT,
                    () -> written("remote"), n -> n == 500);
            assertThat(TestPipeline.rows(db, "OUTAGE_VALUES")).isEqualTo(500);
            long failuresBefore = Seen.metrics(monitor).writeFailureCount();

            server.kill();
            List<TagValue> during = TestPipeline.values("during.", 0, 300);
            assertThat(Seen.offer(ingest, during).allAccepted()).isTrue();
            ComponentHealth retrying = Await.until("the target to retry after its first failed attempt",
                    TestPipeline.TIMEOUT, () -> Seen.health(monitor).targets().get("remote"),
                    t -> !t.state().equals("WRITING"));
            assertThat(retrying.state()).isEqualTo("RETRYING");
            assertThat(retrying.status()).isEqualTo(HealthStatus.DEGRADED);

            List<String> backedUp = Await.until("300 values in backup files", TestPipeline.TIMEOUT,
                    pipeline::backedUpKeys, keys -> keys.size() >= 300);
            assertThat(backedUp).containsExactlyInAnyOrderElementsOf(TestPipeline.keys(during));
            assertThat(Seen.metrics(monitor).writeFailureCount() - failuresBefore)
                    .as("one attempt and three retries").isEqualTo(4);
            assertThat(Seen.metrics(monitor).targets().get("remote").valuesBackedUp()).isEqualTo(300);
            ComponentHealth down = Seen.health(monitor).targets().get("remote");
            assertThat(down.state()).isEqualTo("UNAVAILABLE");
            assertThat(down.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(down.reason()).isEqualTo("NO_LISTENER");
            assertThat(down.error()).contains("UCP-29");
        }
    }
}
