package io.tagbridge.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import javax.sql.DataSource;

import org.apache.felix.service.command.CommandProcessor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tagbridge.api.TagIngest;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.monitor.ComponentHealth;
import io.tagbridge.api.monitor.HealthStatus;
import io.tagbridge.api.monitor.MetricsSnapshot;
import io.tagbridge.api.monitor.PipelineMonitor;
import io.tagbridge.api.pipeline.BackupFile;
import io.tagbridge.api.pipeline.BackupState;
import io.tagbridge.api.pipeline.BatchBackup;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.testkit.Await;
import io.tagbridge.testkit.H2Server;

/** Backup files find their way back into the database: by themselves, through quarantine, and on request. */
@ExtendWith({ BundleContextExtension.class, ServiceExtension.class })
class ReplayTest {

    @InjectService
    ConfigurationAdmin cm;

    @InjectService
    TagIngest ingest;

    @InjectService
    PipelineMonitor monitor;

    @InjectService
    CommandProcessor gogo;

    @InjectBundleContext
    BundleContext context;

    private BatchBackup backup() {
        return context.getService(context.getServiceReference(BatchBackup.class));
    }

    private MetricsSnapshot.Target target(String name) {
        MetricsSnapshot.Target t = Seen.metrics(monitor).targets().get(name);
        if (t == null) {
            throw new AssertionError("no metrics for target " + name + " yet");
        }
        return t;
    }

    private List<BackupFile> files(BackupState state) throws Exception {
        return backup().files().stream().filter(f -> f.state() == state).toList();
    }

    private static List<ReceivedValue> received(List<TagValue> values) {
        long now = ReceivedValue.micros(Instant.now());
        return values.stream().map(v -> new ReceivedValue(v, now)).toList();
    }

    @Test
    void anOutagesBackupFilesAreReplayedByThemselvesAndLeaveNoPendingFile() throws Exception {
        Assumptions.assumeFalse(TestDatabase.isOracle(), "the outage needs an H2 server process it can kill");
        try (H2Server server = TestDatabase.h2Server(); TestPipeline pipeline = new TestPipeline(cm)) {
            server.start();
            pipeline.pool("seedmode", server.url("seedmode"));
            pipeline.writer("seedmode", "seedmode", "SEED_VALUES", Map.of("outageMode", "BACKUP", "retryMax", 1,
                    "retryDelaySeconds", 0.2, "outageProbeSeconds", 1.0));
            DataSource db = pipeline.dataSource("seedmode");
            Seen.offer(ingest, TestPipeline.values("before.", 0, 500));
            Await.until("the first 500 values written", TestPipeline.TIMEOUT,
                    () -> target("seedmode").valuesWritten(), n -> n == 500);

            server.kill();
            Seen.offer(ingest, TestPipeline.values("during.", 0, 300));
            Await.until("300 values backed up during the outage", TestPipeline.TIMEOUT,
                    () -> target("seedmode").valuesBackedUp(), n -> n == 300);
            server.start();

            Await.until("the backup replayed once the database is back", TestPipeline.TIMEOUT,
                    () -> target("seedmode").valuesReplayed(), n -> n == 300);
            Await.until("no pending backup file", TestPipeline.TIMEOUT,
                    () -> files(BackupState.PENDING).size() + files(BackupState.REPLAYING).size(), n -> n == 0);
            assertThat(TestPipeline.rows(db, "SEED_VALUES")).isEqualTo(800);
            assertThat(TestPipeline.distinctKeys(db, "SEED_VALUES")).isEqualTo(800);
            assertThat(files(BackupState.REPLAYED)).extracting(BackupFile::rows).containsExactly(300L);
            assertThat(Seen.metrics(monitor).totals().backupPendingFiles()).isZero();
        }
    }

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void aBackupFileWithOneBadRowLeavesExactlyThatRowInQuarantineWhereTheOperatorReadsDownloadsReplaysAndDeletesIt() throws Exception {
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            pipeline.pool("badrow");
            createTable(pipeline.dataSource("badrow"), "BADROW_VALUES", "NUM_VALUE <> 50");
            pipeline.writer("badrow", "badrow", "BADROW_VALUES", Map.of("createTable", false));
            List<TagValue> values = TestPipeline.values("row.", 0, 100);

            backup().save("badrow", received(values), "rows refused in a test");

            Await.until("the file replayed, the bad row quarantined", TestPipeline.TIMEOUT,
                    () -> target("badrow").valuesQuarantined(), n -> n == 1);
            Await.until("no pending file", TestPipeline.TIMEOUT,
                    () -> files(BackupState.PENDING).size() + files(BackupState.REPLAYING).size(), n -> n == 0);
            assertThat(TestPipeline.rows(pipeline.dataSource("badrow"), "BADROW_VALUES")).isEqualTo(99);
            BackupFile quarantined = files(BackupState.QUARANTINED).stream().filter(f -> f.target().equals("badrow"))
                    .findFirst().orElseThrow();
            assertThat(quarantined.rows()).isEqualTo(1);
            assertThat(backup().read(quarantined.path())).extracting(v -> v.value().value())
                    .containsExactly(50.0);
            assertThat(quarantined.lastError()).contains("the database refused this row");
            ComponentHealth backupHealth = Seen.health(monitor).components().get("backup");
            assertThat(backupHealth.reason()).isEqualTo("QUARANTINED");
            assertThat(backupHealth.status()).isEqualTo(HealthStatus.DEGRADED);

            JsonNode listed = mapper.readTree(Http.anonymous().get("/api/buffer/backups").body());
            assertThat(listed.get("files")).anySatisfy(f -> {
                assertThat(f.get("file").asText()).isEqualTo(quarantined.id());
                assertThat(f.get("state").asText()).isEqualTo("quarantined");
            });
            String file = "/api/buffer/backups/" + quarantined.id();
            assertThat(Http.anonymous().get(file + "/rows").statusCode()).as("rows are plant data").isEqualTo(401);
            JsonNode page = mapper.readTree(Operator.http().get(file + "/rows?from=0&count=10").body());
            assertThat(page.get("rows").asLong()).isEqualTo(1);
            assertThat(page.get("lastError").asText()).contains("the database refused this row");
            assertThat(page.get("values")).singleElement().satisfies(row -> {
                assertThat(row.get("tagName").asText()).isEqualTo("row.0");
                assertThat(row.get("value").asDouble()).isEqualTo(50.0);
                assertThat(row.get("reason").asText()).contains("the database refused this row");
            });
            HttpResponse<byte[]> csv = Operator.http().getBytes(file + "/download?format=csv");
            assertThat(csv.headers().firstValue("Content-Disposition")).hasValueSatisfying(
                    d -> assertThat(d).contains("attachment", quarantined.path().getFileName().toString()));
            assertThat(csv.body()).isEqualTo(Files.readAllBytes(quarantined.path()));
            JsonNode json = mapper.readTree(Operator.http().getBytes(file + "/download?format=json").body());
            assertThat(json.get("values")).extracting(row -> row.get("value").asDouble()).containsExactly(50.0);
            assertThat(unzipped(Operator.http().getBytes("/api/buffer/backups/download?state=quarantined").body()))
                    .containsOnlyKeys(quarantined.id());

            var replayed = Operator.http().post("/api/buffer/backups/replay?state=quarantined");
            assertThat(replayed.body()).isEqualTo("{\"queued\":1}");
            Await.until("the row refused again and quarantined again", TestPipeline.TIMEOUT,
                    () -> target("badrow").valuesQuarantined(), n -> n == 2);
            Await.until("its file back in quarantine", TestPipeline.TIMEOUT, () -> files(BackupState.QUARANTINED),
                    f -> f.size() == 1);
            assertThat(Operator.http().delete("/api/buffer/backups").statusCode()).as("no state named")
                    .isEqualTo(400);
            var deleted = Operator.http().delete("/api/buffer/backups?state=quarantined");
            assertThat(deleted.body()).isEqualTo("{\"deleted\":1,\"values\":1}");
            assertThat(files(BackupState.QUARANTINED)).isEmpty();
            assertThat(TestPipeline.rows(pipeline.dataSource("badrow"), "BADROW_VALUES")).isEqualTo(99);
        }
    }

    private static Map<String, byte[]> unzipped(byte[] zip) throws Exception {
        Map<String, byte[]> entries = new TreeMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    @Test
    void aWriterAndBackupRestartedMidReplayAddNoDuplicateRow() throws Exception {
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            pipeline.pool("resume");
            pipeline.writer("resume", "resume", "RESUME_VALUES", Map.of("replayValuesPerSecond", 4000));
            List<TagValue> values = TestPipeline.values("resume.", 0, 20_000);
            for (int i = 0; i < values.size(); i += 1000) {
                backup().save("resume", received(values.subList(i, i + 1000)), "saved in a test");
            }
            Await.until("replay under way", TestPipeline.TIMEOUT, () -> target("resume").valuesReplayed(),
                    n -> n >= 3000);

            for (String name : List.of("io.tagbridge.writer", "io.tagbridge.backup")) {
                Bundle bundle = bundle(name);
                bundle.stop();
                bundle.start();
            }

            DataSource db = pipeline.dataSource("resume");
            Await.until("every value replayed", TestPipeline.TIMEOUT, () -> TestPipeline.rows(db, "RESUME_VALUES"),
                    n -> n >= 20_000);
            Await.until("no pending file", TestPipeline.TIMEOUT,
                    () -> files(BackupState.PENDING).size() + files(BackupState.REPLAYING).size(), n -> n == 0);
            assertThat(TestPipeline.rows(db, "RESUME_VALUES")).isEqualTo(20_000);
            assertThat(TestPipeline.distinctKeys(db, "RESUME_VALUES")).isEqualTo(20_000);
        }
    }

    @Test
    void anOperatorReplaysAQuarantinedFileAgainAfterFixingTheTable() throws Exception {
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            pipeline.pool("fixed");
            DataSource db = pipeline.dataSource("fixed");
            createTable(db, "FIXED_VALUES", "NUM_VALUE < 5");
            pipeline.writer("fixed", "fixed", "FIXED_VALUES", Map.of("createTable", false));
            backup().save("fixed", received(TestPipeline.values("fixed.", 0, 10)), "saved in a test");
            Await.until("values of 5 and more quarantined", TestPipeline.TIMEOUT,
                    () -> target("fixed").valuesQuarantined(), n -> n == 5);
            String id = files(BackupState.QUARANTINED).stream().filter(f -> f.target().equals("fixed")).findFirst()
                    .orElseThrow().id();
            Gogo.Run listed = Gogo.run(gogo, "tagbridge:backups");
            assertThat(listed.output()).contains(id).contains("quarantined");

            try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE FIXED_VALUES DROP CONSTRAINT FIXED_VALUES_CHECK");
            }
            Gogo.Run replay = Gogo.run(gogo, "tagbridge:replay " + id);

            assertThat(replay.result()).as(replay.output()).isEqualTo(0);
            assertThat(replay.output()).contains("Queued 1");
            Await.until("the quarantined rows written", TestPipeline.TIMEOUT,
                    () -> TestPipeline.rows(db, "FIXED_VALUES"), n -> n == 10);
            assertThat(files(BackupState.QUARANTINED)).extracting(BackupFile::target).doesNotContain("fixed");
            var again = Operator.http().post("/api/buffer/backups/replay");
            assertThat(again.statusCode()).isEqualTo(202);
        }
    }

    /** The writer's table, as a DBA would create it, with a check constraint that refuses some rows. */
    private static void createTable(DataSource db, String table, String check) throws Exception {
        TestDatabase.dropIfOracle(db, table);
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (TAG_NAME VARCHAR2(256 CHAR) NOT NULL, "
                    + "SOURCE_TIME TIMESTAMP(6) NOT NULL, NUM_VALUE NUMBER, STR_VALUE VARCHAR2(4000 CHAR), "
                    + "BOOL_VALUE NUMBER(1), QUALITY NUMBER(3) NOT NULL, RECEIVED_TIME TIMESTAMP(6) NOT NULL, "
                    + "GATEWAY_ID VARCHAR2(128 CHAR) NOT NULL, CONSTRAINT " + table + "_PK PRIMARY KEY (TAG_NAME, "
                    + "SOURCE_TIME), CONSTRAINT " + table + "_CHECK CHECK (" + check + "))");
        }
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("bundle " + symbolicName + " is not installed");
    }
}
