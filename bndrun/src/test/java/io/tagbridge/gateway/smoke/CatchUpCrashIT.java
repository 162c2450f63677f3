package io.tagbridge.gateway.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tagbridge.testkit.Await;
import io.tagbridge.testkit.FaultyLink;
import io.tagbridge.testkit.GatewayProcess;
import io.tagbridge.testkit.H2Server;
import io.tagbridge.testkit.Producer;
import io.tagbridge.testkit.RowOrder;

/**
 * Catch-up through several connections over a slow link, killed: the exported gateway writes an outage's backlog
 * to an H2 server 20 ms away (each way) through three connections at once, and is killed with SIGKILL while their
 * batches are on the link. Started again, it must store every value it accepted, none twice, and each tag's rows in
 * the order it accepted them, which an identity column the test adds to the table numbers.
 */
class CatchUpCrashIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATABASE = "plant";

    @TempDir
    Path workDir;

    @Test
    void killedWhileBatchesOfSeveralConnectionsAreInFlightItLosesNoneDoublesNoneAndKeepsEachTagsOrder()
            throws Exception {
        try (H2Server db = new H2Server(workDir.resolve("db")).start(); FaultyLink link = new FaultyLink(db.port)) {
            createTableWithIdentity(db);
            link.delay(20);
            try (GatewayProcess gateway = gateway(link).start()) {
                awaitWriting(gateway);
                db.kill();
                Producer producer = new Producer(gateway.port, "lane.", 5_000);
                Await.until("30,000 values accepted during the outage", Duration.ofMinutes(2),
                        () -> producer.accepted().cardinality(), n -> n >= 30_000);
                producer.close();
                BitSet accepted = producer.accepted();

                db.start();
                gateway.awaitGet("/api/buffer/writer/metrics", body -> {
                    JsonNode target = target(body);
                    return target.path("valuesWritten").asLong() >= 10_000 && target.path("backlog").asLong() > 0;
                }, Duration.ofSeconds(60));
                gateway.kill();
                int waitingAtOnce = link.mostConnectionsWaitingAtOnce();

                gateway.start();
                gateway.awaitGet("/api/buffer/writer/metrics", body -> target(body).path("backlog").asLong(-1) == 0
                        && target(body).path("state").asText().equals("WRITING"), Duration.ofSeconds(120));

                assertThat(waitingAtOnce).as("batches on the link through three connections when it was killed")
                        .isGreaterThanOrEqualTo(3);
                assertEveryAcceptedValueStoredOnce(db, producer, accepted);
                assertThat(rowsBeforeAnOlderValueOfTheirTag(db)).isZero();
            }
        }
    }

    private GatewayProcess gateway(FaultyLink link) throws Exception {
        return new GatewayProcess(workDir.resolve("gateway"))
                .configure("io.tagbridge.oracle.pool-default.cfg", "name=default\nurl=" + link.url(DATABASE)
                        + "\nusername=sa\npassword=\npoolMin=1\npoolMax=5\nconnectTimeoutSeconds=2\n"
                        + "readTimeoutSeconds=30\n")
                .configure("io.tagbridge.writer-default.cfg", "name=default\nretryDelaySeconds=0.2\n"
                        + "retryMaxDelaySeconds=1\noutageProbeSeconds=1\nwriteConnections=3\n"
                        + "catchUpBatchSize=1500\n")
                .configure("io.tagbridge.simulator.cfg", "enabled=false\n");
    }

    /** The writer's table, made by the test first with one more column: ROW_ID numbers rows as they are inserted. */
    private static void createTableWithIdentity(H2Server db) throws Exception {
        try (Connection c = db.connect(DATABASE)) {
            RowOrder.createNumberedTable(c, "TAG_VALUES");
        }
    }

    private static long rowsBeforeAnOlderValueOfTheirTag(H2Server db) throws Exception {
        try (Connection c = db.connect(DATABASE)) {
            return RowOrder.rowsBeforeAnOlderValueOfTheirTag(c, "TAG_VALUES");
        }
    }

    private static void awaitWriting(GatewayProcess gateway) throws Exception {
        gateway.awaitGet("/api/buffer/health", body -> body.contains("\"state\":\"WRITING\""),
                GatewayProcess.START_TIMEOUT);
    }

    private static JsonNode target(String body) {
        try {
            return JSON.readTree(body).path("targets").path("default");
        } catch (java.io.IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static void assertEveryAcceptedValueStoredOnce(H2Server db, Producer producer, BitSet accepted)
            throws Exception {
        List<String> rows = db.storedKeys(DATABASE, "lane.");
        Set<String> stored = new HashSet<>(rows);
        int missing = 0;
        for (int i = accepted.nextSetBit(0); i >= 0; i = accepted.nextSetBit(i + 1)) {
            missing += stored.contains(producer.key(i)) ? 0 : 1;
        }
        assertThat(missing).as("accepted values not in the table").isZero();
        assertThat(rows.size()).as("no row twice, and none never offered").isEqualTo(stored.size())
                .isLessThanOrEqualTo(producer.offered());
    }
}
