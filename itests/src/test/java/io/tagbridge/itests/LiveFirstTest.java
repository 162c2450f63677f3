package io.tagbridge.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

import io.tagbridge.api.TagIngest;
import io.tagbridge.api.monitor.MetricsSnapshot;
import io.tagbridge.api.monitor.PipelineMonitor;
import io.tagbridge.testkit.Await;
import io.tagbridge.testkit.FaultyLink;
import io.tagbridge.testkit.H2Server;
import io.tagbridge.testkit.RowOrder;

/**
 * A target with liveFirst catching up through a slow link (20 ms each way, small batches): values that come in
 * while the backlog is old are stored before the backlog is, and in the end every value is stored once, each
 * lane's rows in order per tag. The same ten tags go through both lanes.
 */
@ExtendWith(ServiceExtension.class)
class LiveFirstTest {

    /** Values numbered from here on are live: source times from 1 s after the backlog's first. */
    private static final int LIVE = 1_000_000;
    private static final String LIVE_ROWS = "SOURCE_TIME >= TIMESTAMP '2026-01-01 00:00:01'";
    private static final String BACKLOG_ROWS = "SOURCE_TIME < TIMESTAMP '2026-01-01 00:00:01'";

    @InjectService
    ConfigurationAdmin cm;

    @InjectService
    TagIngest ingest;

    @InjectService
    PipelineMonitor monitor;

    private H2Server server;
    private FaultyLink link;
    private TestPipeline pipeline;
    private DataSource db;

    @BeforeEach
    void setUp() throws Exception {
        Assumptions.assumeFalse(TestDatabase.isOracle(), "the slow link needs an H2 server behind a proxy");
        server = TestDatabase.h2Server();
        server.start();
        link = new FaultyLink(server.port);
        pipeline = new TestPipeline(cm);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (pipeline != null) {
            pipeline.close();
            link.close();
            server.close();
        }
    }

    private void liveFirstWriter(String name) throws Exception {
        pipeline.pool(name, link.url(name), Map.of("readTimeoutSeconds", 3, "poolMax", 4));
        db = pipeline.dataSource(name);
        try (Connection c = db.getConnection()) {
            RowOrder.createNumberedTable(c, "LIVE_FIRST_VALUES");
        }
        link.delay(20);
        pipeline.writer(name, name, "LIVE_FIRST_VALUES", Map.of("liveFirst", true, "liveFirstAfterSeconds", 1.0,
                "batchSize", 100, "catchUpBatchSize", 100, "writeConnections", 1, "writeIntervalSeconds", 0.1,
                "retryDelaySeconds", 0.2, "retryMaxDelaySeconds", 1.0, "outageProbeSeconds", 1.0));
    }

    private MetricsSnapshot.Target target(String name) {
        return Seen.metrics(monitor).targets().get(name);
    }

    private long rows(String where) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM LIVE_FIRST_VALUES WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Offers the backlog and waits until it is older than liveFirstAfterSeconds and still far from written. */
    private void backlogOlderThanASecond(String name, int values) throws Exception {
        Seen.offer(ingest, TestPipeline.values("tag.", 0, values));
        Thread.sleep(1_500);
        assertThat(target(name).backlog()).as("the backlog is still being written").isGreaterThan(values / 2);
    }

    /** Every value stored once, nothing left, and each lane's rows in order per tag. */
    private void everyValueStoredOnceEachLaneInOrder(String name, long offered) throws Exception {
        Await.until("target " + name + " to settle everything", TestPipeline.TIMEOUT,
                () -> target(name).backlog(), n -> n == 0);
        link.mode(FaultyLink.Mode.PASS);
        link.delay(0);
        assertThat(TestPipeline.rows(db, "LIVE_FIRST_VALUES")).isEqualTo(offered);
        assertThat(TestPipeline.distinctKeys(db, "LIVE_FIRST_VALUES")).isEqualTo(offered);
        MetricsSnapshot.Target t = target(name);
        assertThat(t.valuesWritten() + t.valuesAlreadyStored()).as("counted once each").isEqualTo(offered);
        try (Connection c = db.getConnection()) {
            assertThat(RowOrder.rowsBeforeAnOlderValueOfTheirTag(c, "LIVE_FIRST_VALUES", LIVE_ROWS))
                    .as("live rows inserted after a later live value of their tag").isZero();
            assertThat(RowOrder.rowsBeforeAnOlderValueOfTheirTag(c, "LIVE_FIRST_VALUES", BACKLOG_ROWS))
                    .as("backlog rows inserted after a later backlog value of their tag").isZero();
        }
    }

    @Test
    void valuesThatComeWhileTheBacklogIsOldAreStoredBeforeTheBacklog() throws Exception {
        liveFirstWriter("live-first");
        int backlog = 12_000;
        backlogOlderThanASecond("live-first", backlog);

        int live = 0;
        for (int i = 0; i < 10; i++) {
            Seen.offer(ingest, TestPipeline.values("tag.", LIVE + live, LIVE + live + 20));
            live += 20;
            Thread.sleep(50);
        }
        int offeredLive = live;
        Await.until("every live value stored", TestPipeline.TIMEOUT, () -> rows(LIVE_ROWS), n -> n == offeredLive);
        assertThat(rows(BACKLOG_ROWS)).as("the backlog is not all stored yet").isLessThan(backlog);

        everyValueStoredOnceEachLaneInOrder("live-first", backlog + live);
        try (Connection c = db.getConnection()) {
            assertThat(RowOrder.rowsBeforeAnOlderValueOfTheirTag(c, "LIVE_FIRST_VALUES"))
                    .as("across the lanes, older rows of a tag went in after newer ones").isPositive();
        }
    }

    @Test
    void linkCutsAndLostCommitAnswersWhileALiveLaneWritesLoseNothingAndDoubleNothing() throws Exception {
        liveFirstWriter("live-cuts");
        int backlog = 10_000;
        backlogOlderThanASecond("live-cuts", backlog);
        Seen.offer(ingest, TestPipeline.values("tag.", LIVE, LIVE + 50));
        int live = 50;
        Await.until("the first live values stored", TestPipeline.TIMEOUT, () -> rows(LIVE_ROWS), n -> n == 50);
        assertThat(rows(BACKLOG_ROWS)).as("the live lane writes while the backlog is written").isLessThan(backlog);

        for (int round = 0; round < 10; round++) {
            link.mode(round % 2 == 0 ? FaultyLink.Mode.LOSE_COMMIT_ANSWER : FaultyLink.Mode.PASS);
            Seen.offer(ingest, TestPipeline.values("tag.", LIVE + live, LIVE + live + 50));
            live += 50;
            Thread.sleep(150);
            link.cutAll();
        }

        everyValueStoredOnceEachLaneInOrder("live-cuts", backlog + live);
        assertThat(target("live-cuts").writeFailureCount() + link.commitAnswersLost()).as("the faults hit writes")
                .isPositive();
    }
}
