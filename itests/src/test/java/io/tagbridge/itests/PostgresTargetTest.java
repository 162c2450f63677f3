package io.tagbridge.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagIngest;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.monitor.ComponentHealth;
import io.tagbridge.api.monitor.HealthStatus;
import io.tagbridge.api.monitor.MetricsSnapshot;
import io.tagbridge.api.monitor.PipelineMonitor;
import io.tagbridge.testkit.Await;
import io.tagbridge.testkit.PostgresServer;

/**
 * PostgreSQL as a target, behind the same seam as Oracle and H2: a real server from Debian's package, started as a
 * process, killed with SIGKILL and started again; its refusals checked from their real causes against the reason
 * codes Oracle's get.
 */
@ExtendWith(ServiceExtension.class)
class PostgresTargetTest {

    private static final String DATABASE = "tagbridge";
    private static PostgresServer server;

    private final BundleContext context = FrameworkUtil.getBundle(PostgresTargetTest.class).getBundleContext();

    @InjectService
    ConfigurationAdmin cm;

    @InjectService
    TagIngest ingest;

    @InjectService
    PipelineMonitor monitor;

    private TestPipeline pipeline;

    @BeforeAll
    static void startServer() throws Exception {
        server = new PostgresServer();
        server.start();
        server.createDatabase(DATABASE);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void pipeline() throws Exception {
        pipeline = new TestPipeline(cm);
    }

    @AfterEach
    void closePipeline() throws Exception {
        pipeline.close();
    }

    private void pool(String name, String user, String password) throws Exception {
        pipeline.pool(name, server.url(DATABASE), Map.of("username", user, "password", password));
    }

    private long rows(String table) throws Exception {
        return Long.parseLong(server.sql(DATABASE, "SELECT COUNT(*) FROM " + table));
    }

    private long distinctKeys(String table) throws Exception {
        return Long.parseLong(server.sql(DATABASE, "SELECT COUNT(*) FROM (SELECT DISTINCT TAG_NAME, SOURCE_TIME FROM "
                + table + ") k"));
    }

    private MetricsSnapshot.Target target(String name) {
        return Seen.metrics(monitor).targets().get(name);
    }

    private void offer(List<TagValue> values) {
        for (int i = 0; i < values.size(); i += 500) {
            assertThat(Seen.offer(ingest, values.subList(i, Math.min(i + 500, values.size()))).allAccepted())
                    .isTrue();
        }
    }

    @Test
    void valuesReachAPostgresTableOnceAndAServerKilledMidStreamLosesNone() throws Exception {
        pool("pg", PostgresServer.USER, PostgresServer.PASSWORD);
        pipeline.writer("pg", "pg", "PG_VALUES", Map.of("retryDelaySeconds", 0.2, "retryMaxDelaySeconds", 1.0,
                "outageProbeSeconds", 1.0));
        offer(TestPipeline.values("pg.", 0, 2_000));
        Await.until("2,000 rows in PostgreSQL", TestPipeline.TIMEOUT, () -> rows("PG_VALUES"), n -> n == 2_000);

        server.kill();
        offer(TestPipeline.values("pg.", 2_000, 4_000));
        Await.until("the target to see the server gone", TestPipeline.TIMEOUT,
                () -> Seen.health(monitor).targets().get("pg").state(), s -> !s.equals("WRITING"));
        server.start();
        // The first 500 again, as a driver that resends after a restart: stored once, counted as stored.
        offer(TestPipeline.values("pg.", 0, 500));

        MetricsSnapshot.Target settled = Await.until("every value settled", TestPipeline.TIMEOUT, () -> target("pg"),
                t -> t.backlog() == 0 && t.valuesWritten() + t.valuesAlreadyStored() >= 4_500);
        assertThat(rows("PG_VALUES")).isEqualTo(4_000);
        assertThat(distinctKeys("PG_VALUES")).isEqualTo(4_000);
        assertThat(settled.valuesWritten()).isEqualTo(4_000);
        assertThat(settled.valuesAlreadyStored()).isEqualTo(500);
        assertThat(settled.valuesBackedUp()).isZero();
        assertThat(Seen.health(monitor).targets().get("pg").state()).isEqualTo("WRITING");
    }

    @Test
    void mergeModeIsInsertOnConflictDoNothingAndCountsExactly() throws Exception {
        pool("pgmerge", PostgresServer.USER, PostgresServer.PASSWORD);
        pipeline.writer("pgmerge", "pgmerge", "PG_MERGE_VALUES", Map.of("writeMode", "MERGE"));
        List<TagValue> values = TestPipeline.values("pgmerge.", 0, 1_000);
        offer(values);
        offer(values);
        // The same keys with other values: conflicts, counted, and the stored rows stay.
        offer(values.subList(0, 10).stream().map(v -> TagValue.of(v.tagName(), v.sourceTime(), -1.0, Quality.GOOD))
                .toList());

        MetricsSnapshot.Target settled = Await.until("every value settled", TestPipeline.TIMEOUT,
                () -> target("pgmerge"), t -> t.backlog() == 0 && t.valuesWritten() + t.valuesAlreadyStored() == 2_010);
        assertThat(settled.valuesWritten()).isEqualTo(1_000);
        assertThat(settled.valuesAlreadyStored()).isEqualTo(1_010);
        assertThat(settled.valuesConflicting()).isEqualTo(10);
        assertThat(rows("PG_MERGE_VALUES")).isEqualTo(1_000);
        assertThat(server.sql(DATABASE, "SELECT COUNT(*) FROM PG_MERGE_VALUES WHERE NUM_VALUE < 0")).isEqualTo("0");
    }

    @Test
    void aSessionTheServerTerminatesIsRetriedAtOnceOnAFreshConnectionAndLosesNothing() throws Exception {
        pool("pgterm", PostgresServer.USER, PostgresServer.PASSWORD);
        pipeline.writer("pgterm", "pgterm", "PG_TERM_VALUES", Map.of("retryMax", 0, "outageProbeSeconds", 3600.0));
        offer(TestPipeline.values("pgterm.", 0, 500));
        Await.until("the first rows", TestPipeline.TIMEOUT, () -> rows("PG_TERM_VALUES"), n -> n == 500);

        // The writer keeps its connection while values keep coming; the server ends it (57P01 on its next use).
        String terminated = server.sql(DATABASE, "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM "
                + "pg_stat_activity WHERE datname = '" + DATABASE + "' AND pid <> pg_backend_pid() "
                + "AND application_name = 'PostgreSQL JDBC Driver') t");
        assertThat(Long.parseLong(terminated)).as("sessions terminated").isPositive();
        offer(TestPipeline.values("pgterm.", 500, 1_000));

        Await.until("every row", TestPipeline.TIMEOUT, () -> rows("PG_TERM_VALUES"), n -> n == 1_000);
        MetricsSnapshot.Target settled = target("pgterm");
        assertThat(settled.writeFailureCount()).as("failures counted: none, the batch went through on a new "
                + "connection").isZero();
        assertThat(settled.valuesBackedUp()).isZero();
        assertThat(Seen.health(monitor).targets().get("pgterm").state()).isEqualTo("WRITING");
    }

    @Test
    void aWrongPasswordIsCredentialsRefused() throws Exception {
        pool("pgwrong", PostgresServer.USER, "wrong");
        ComponentHealth target = writeAndAwait("pgwrong", "PG_WRONG_VALUES", Map.of(), "CREDENTIALS_REFUSED");
        assertThat(target.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(target.state()).isEqualTo("REFUSED");
    }

    @Test
    void aTableThatIsNotThereWhileCreatingIsOffIsTableMissing() throws Exception {
        pool("pgnotable", PostgresServer.USER, PostgresServer.PASSWORD);
        writeAndAwait("pgnotable", "PG_NOT_THERE", Map.of("createTable", false), "TABLE_MISSING");
    }

    @Test
    void aUserWithoutTheInsertPrivilegeIsPrivilegeMissing() throws Exception {
        server.sql(DATABASE, "CREATE ROLE limited LOGIN PASSWORD 'limited'; CREATE TABLE PG_GRANTED (TAG_NAME "
                + "VARCHAR(256) NOT NULL, SOURCE_TIME TIMESTAMP(6) NOT NULL, NUM_VALUE NUMERIC, STR_VALUE "
                + "VARCHAR(4000), BOOL_VALUE SMALLINT, QUALITY SMALLINT NOT NULL, RECEIVED_TIME TIMESTAMP(6) NOT NULL, "
                + "GATEWAY_ID VARCHAR(128) NOT NULL, PRIMARY KEY (TAG_NAME, SOURCE_TIME)); "
                + "GRANT SELECT, INSERT ON PG_GRANTED TO limited; REVOKE INSERT ON PG_GRANTED FROM limited");
        pool("pglimited", "limited", "limited");
        writeAndAwait("pglimited", "PG_GRANTED", Map.of("createTable", false), "PRIVILEGE_MISSING");
    }

    @Test
    void aDatabaseThatDoesNotExistIsDatabaseUnknown() throws Exception {
        pipeline.pool("pgnodb", server.url("not_there"), Map.of("username", PostgresServer.USER, "password",
                PostgresServer.PASSWORD));
        writeAndAwait("pgnodb", "PG_NODB_VALUES", Map.of(), "DATABASE_UNKNOWN");
    }

    @Test
    void withoutThePostgresDialectBundleValuesWaitAndFlowOnceItIsBack() throws Exception {
        Bundle dialect = java.util.Arrays.stream(context.getBundles())
                .filter(b -> b.getSymbolicName().equals("io.tagbridge.sink-postgresql")).findFirst().orElseThrow();
        pool("pgdialect", PostgresServer.USER, PostgresServer.PASSWORD);
        dialect.stop();
        try {
            pipeline.writer("pgdialect", "pgdialect", "PG_DIALECT_VALUES", Map.of("retryDelaySeconds", 0.2,
                    "retryMaxDelaySeconds", 0.5, "outageProbeSeconds", 1.0));
            offer(TestPipeline.values("pgdialect.", 0, 100));
            ComponentHealth waiting = Await.until("the target to say what is missing", TestPipeline.TIMEOUT,
                    () -> Seen.health(monitor).targets().get("pgdialect"),
                    t -> t != null && "DIALECT_MISSING".equals(t.reason()));
            assertThat(waiting.advice()).contains("io.tagbridge.sink-postgresql");
        } finally {
            dialect.start();
        }
        Await.until("the values once the dialect is back", TestPipeline.TIMEOUT, () -> rows("PG_DIALECT_VALUES"),
                n -> n == 100);
    }

    private ComponentHealth writeAndAwait(String pool, String table, Map<String, Object> settings, String reason)
            throws Exception {
        Map<String, Object> more = new HashMap<>(Map.of("retryMax", 0, "outageProbeSeconds", 3600.0));
        more.putAll(settings);
        pipeline.writer(pool, pool, table, more);
        Seen.offer(ingest, TestPipeline.values(pool + ".", 0, 10));
        ComponentHealth target = Await.until("target " + pool + " to report " + reason, TestPipeline.TIMEOUT,
                () -> Seen.health(monitor).targets().get(pool), t -> t != null && reason.equals(t.reason()));
        assertThat(target.status()).isNotEqualTo(HealthStatus.UP);
        assertThat(target.advice()).isNotBlank().doesNotContain("127.0.0.1", "jdbc:", "limited",
                String.valueOf(server.port));
        return target;
    }
}
