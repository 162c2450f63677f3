package io.tagbridge.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
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
 * Network faults between the pool and a real H2 server, through a proxy the test breaks. Each test ends with the
 * accounting check: every accepted value in the table, none twice.
 */
@ExtendWith(ServiceExtension.class)
class NetworkFaultTest {

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
        Assumptions.assumeFalse(TestDatabase.isOracle(), "the faults need an H2 server behind a proxy");
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

    private void writer(String name, Map<String, Object> more) throws Exception {
        pipeline.pool(name, link.url(name), Map.of("readTimeoutSeconds", 3));
        Map<String, Object> settings = new java.util.HashMap<>(Map.of("retryDelaySeconds", 0.2,
                "retryMaxDelaySeconds", 1.0, "outageProbeSeconds", 1.0));
        settings.putAll(more);
        pipeline.writer(name, name, "NET_VALUES", settings);
        db = pipeline.dataSource(name);
    }

    private MetricsSnapshot.Target target(String name) {
        return Seen.metrics(monitor).targets().get(name);
    }

    /** Every accepted value in the table exactly once, and nothing left to write. */
    private void everyValueStoredOnce(String name, long accepted) throws Exception {
        Await.until("target " + name + " to settle everything", TestPipeline.TIMEOUT,
                () -> target(name).backlog(), n -> n == 0);
        link.mode(FaultyLink.Mode.PASS);
        assertThat(TestPipeline.rows(db, "NET_VALUES")).isEqualTo(accepted);
        assertThat(TestPipeline.distinctKeys(db, "NET_VALUES")).isEqualTo(accepted);
    }

    /** Cuts at every poll until a cut meets a batch on the wire, or every batch so far got through between cuts. */
    private void cutUntilAWriteFails(String name, int round, long offered) {
        long failuresBefore = target(name).writeFailureCount();
        Await.until("a cut to fail a write in round " + round + ", or every batch so far to get through",
                TestPipeline.TIMEOUT, () -> {
                    link.cutAll();
                    MetricsSnapshot.Target t = target(name);
                    return t.writeFailureCount() > failuresBefore
                            || t.valuesWritten() + t.valuesAlreadyStored() >= offered;
                }, Boolean.TRUE::equals);
    }

    @Test
    void aLinkThatHangsTimesOutAndTheValuesWaitAndArriveOnce() throws Exception {
        writer("hang", Map.of());
        Seen.offer(ingest, TestPipeline.values("a.", 0, 500));
        Await.until("the first values written", TestPipeline.TIMEOUT, () -> target("hang").valuesWritten(),
                n -> n == 500);

        link.mode(FaultyLink.Mode.HANG);
        Seen.offer(ingest, TestPipeline.values("b.", 0, 500));
        Await.until("the read timeout to fail the write", TestPipeline.TIMEOUT,
                () -> target("hang").writeFailureCount(), n -> n > 0);
        link.mode(FaultyLink.Mode.PASS);
        link.cutAll();

        everyValueStoredOnce("hang", 1000);
    }

    @Test
    void aLinkCutAgainAndAgainInTheMiddleOfBatchesLeavesNoPartialBatchAndNoDoubleRow() throws Exception {
        writer("cut", Map.of());
        // A slowed link keeps each batch on the wire long enough for the cuts to meet it there.
        link.delay(50);
        int offered = 0;
        for (int round = 0; round < 20; round++) {
            Seen.offer(ingest, TestPipeline.values("c" + round + ".", 0, 500));
            offered += 500;
            cutUntilAWriteFails("cut", round, offered);
        }
        link.delay(0);

        everyValueStoredOnce("cut", offered);
        assertThat(target("cut").writeFailureCount()).as("the cuts hit writes").isPositive();
    }

    @Test
    void throughSeveralConnectionsLinkCutsMidBatchLoseNothingDoubleNothingAndKeepEachTagsOrder() throws Exception {
        pipeline.pool("lanes", link.url("lanes"), Map.of("readTimeoutSeconds", 3, "poolMax", 5));
        db = pipeline.dataSource("lanes");
        try (Connection c = db.getConnection()) {
            RowOrder.createNumberedTable(c, "NET_VALUES");
        }
        // As in the test above, a slowed link keeps batches on the wire long enough for the cuts to meet them.
        link.delay(50);
        pipeline.writer("lanes", "lanes", "NET_VALUES", Map.of("retryDelaySeconds", 0.2, "retryMaxDelaySeconds",
                1.0, "outageProbeSeconds", 1.0, "writeConnections", 3, "catchUpBatchSize", 3000));
        int offered = 0;
        for (int round = 0; round < 5; round++) {
            // The same ten tags every round, later source times: each tag's order spans the batches.
            Seen.offer(ingest, TestPipeline.values("lane.", offered, offered + 6_000));
            offered += 6_000;
            cutUntilAWriteFails("lanes", round, offered);
        }

        everyValueStoredOnce("lanes", offered);
        MetricsSnapshot.Target lanes = target("lanes");
        assertThat(lanes.writeFailureCount()).as("the cuts hit writes").isPositive();
        assertThat(lanes.valuesWritten() + lanes.valuesAlreadyStored()).as("counted once each").isEqualTo(offered);
        assertThat(link.mostConnectionsWaitingAtOnce()).as("batches went through three connections at once")
                .isGreaterThanOrEqualTo(3);
        try (Connection c = db.getConnection()) {
            assertThat(RowOrder.rowsBeforeAnOlderValueOfTheirTag(c, "NET_VALUES"))
                    .as("rows inserted after a later value of their tag").isZero();
        }
    }

    @Test
    void aCommitWhoseAnswerIsLostIsNotWrittenTwice() throws Exception {
        writer("commit", Map.of());
        Seen.offer(ingest, TestPipeline.values("warm.", 0, 10));
        Await.until("warmed up", TestPipeline.TIMEOUT, () -> target("commit").valuesWritten(), n -> n == 10);

        link.mode(FaultyLink.Mode.LOSE_COMMIT_ANSWER);
        Seen.offer(ingest, TestPipeline.values("lost.", 0, 500));

        Await.until("a commit's answer lost", TestPipeline.TIMEOUT, link::commitAnswersLost, n -> n >= 1);
        everyValueStoredOnce("commit", 510);
        assertThat(target("commit").valuesAlreadyStored()).as("the batch was retried and found stored")
                .isEqualTo(500);
    }

    @Test
    void overASlowLinkBatchesGrowAndNothingTimesOut() throws Exception {
        link.delay(200);
        writer("slow", Map.of("writeIntervalSeconds", 0.1));
        for (int i = 0; i < 20; i++) {
            Seen.offer(ingest, TestPipeline.values("s" + i + ".", 0, 100));
            Thread.sleep(100);
        }

        everyValueStoredOnce("slow", 2000);
        assertThat(target("slow").writeFailureCount()).isZero();
        MetricsSnapshot.Target slow = target("slow");
        assertThat((double) slow.valuesWritten() / slow.writeSuccessCount())
                .as("values per batch: they gather while each write takes its time").isGreaterThan(100);
    }
}
