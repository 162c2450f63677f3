package io.tagbridge.gateway.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tagbridge.testkit.Await;
import io.tagbridge.testkit.H2Server;
import io.tagbridge.testkit.GatewayProcess;
import io.tagbridge.testkit.Producer;

/**
 * The journal's promise, tried on the exported gateway as a real process: a producer posts sequenced values over
 * REST at 5,000 values/s, the gateway is killed with SIGKILL (or stopped with SIGTERM while its database hangs),
 * and started again. Every value answered with HTTP 200 must end in the table, once.
 */
class JournalCrashIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATABASE = "plant";

    @TempDir
    Path workDir;

    private GatewayProcess gateway(H2Server db) throws Exception {
        return new GatewayProcess(workDir.resolve("gateway"))
                .configure("io.tagbridge.oracle.pool-default.cfg", "name=default\nurl=" + db.url(DATABASE)
                        + "\nusername=sa\npassword=\npoolMin=1\nconnectTimeoutSeconds=2\nreadTimeoutSeconds=30\n")
                .configure("io.tagbridge.writer-default.cfg", "name=default\nretryDelaySeconds=0.2\n"
                        + "retryMaxDelaySeconds=1\noutageProbeSeconds=1\n")
                .configure("io.tagbridge.simulator.cfg", "enabled=false\n");
    }

    @Test
    void aGatewayKilledWithSigkillWhileValuesFlowLosesNoneItAccepted() throws Exception {
        try (H2Server db = new H2Server(workDir.resolve("db")).start(); GatewayProcess gateway = gateway(db).start()) {
            awaitWriting(gateway);
            Producer producer = new Producer(gateway.port, "crash.", 5_000);
            awaitAccepted(producer, 10_000);
            gateway.kill();
            producer.close();
            BitSet accepted = producer.accepted();
            assertThat(accepted.cardinality()).as("values accepted before the kill").isGreaterThan(10_000);

            gateway.start();
            awaitBacklogWritten(gateway);

            assertEveryAcceptedValueStoredOnce(db, producer, accepted);
        }
    }

    @Test
    void theBacklogOfAnOutageSurvivesSigkillAndIsWrittenWhenBothAreBack() throws Exception {
        try (H2Server db = new H2Server(workDir.resolve("db")).start(); GatewayProcess gateway = gateway(db).start()) {
            awaitWriting(gateway);
            db.kill();
            Producer producer = new Producer(gateway.port, "outage.", 5_000);
            awaitAccepted(producer, 10_000);
            gateway.kill();
            producer.close();
            BitSet accepted = producer.accepted();
            assertThat(accepted.cardinality()).as("values accepted during the outage").isGreaterThan(10_000);

            db.start();
            gateway.start();
            awaitBacklogWritten(gateway);

            assertEveryAcceptedValueStoredOnce(db, producer, accepted);
        }
    }

    @Test
    void sigtermStopsWithinFiveSecondsWhileTheDatabaseHangsAndTheValuesWaitInTheJournal() throws Exception {
        try (H2Server db = new H2Server(workDir.resolve("db")).start(); GatewayProcess gateway = gateway(db).start()) {
            awaitWriting(gateway);
            Producer producer = new Producer(gateway.port, "hung.", 5_000);
            Thread.sleep(1_000);
            db.freeze();
            Thread.sleep(2_000);
            producer.close();
            BitSet accepted = producer.accepted();

            long start = System.nanoTime();
            gateway.stop(Duration.ofSeconds(5));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(gateway.log()).contains("stay in the journal");

            db.thaw();
            gateway.start();
            awaitBacklogWritten(gateway);

            assertEveryAcceptedValueStoredOnce(db, producer, accepted);
        }
    }

    /** Waits for the producer's values to be answered, however slow the machine, not for a time. */
    private static void awaitAccepted(Producer producer, int values) {
        Await.until("more than " + values + " values accepted", Duration.ofMinutes(2),
                () -> producer.accepted().cardinality(), n -> n > values);
    }

    private static void awaitWriting(GatewayProcess gateway) throws Exception {
        gateway.awaitGet("/api/buffer/health", body -> body.contains("\"state\":\"WRITING\""),
                GatewayProcess.START_TIMEOUT);
    }

    private static void awaitBacklogWritten(GatewayProcess gateway) throws Exception {
        gateway.awaitGet("/api/buffer/writer/metrics", body -> {
            JsonNode target = read(body).path("targets").path("default");
            return target.path("backlog").asLong(-1) == 0 && target.path("state").asText().equals("WRITING");
        }, Duration.ofSeconds(120));
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            return JSON.createObjectNode();
        }
    }

    private void assertEveryAcceptedValueStoredOnce(H2Server db, Producer producer, BitSet accepted) throws Exception {
        List<String> rows = db.storedKeys(DATABASE, producer.tag(0).replaceAll("\\d+$", ""));
        Set<String> stored = new HashSet<>(rows);
        int missing = 0;
        String example = null;
        for (int i = accepted.nextSetBit(0); i >= 0; i = accepted.nextSetBit(i + 1)) {
            if (!stored.contains(producer.key(i))) {
                missing++;
                example = example == null ? producer.key(i) : example;
            }
        }
        assertThat(missing).as("accepted values in neither the table nor a backup file, e.g. " + example).isZero();
        assertThat(rows.size()).as("no row twice, and none that was never offered").isEqualTo(stored.size())
                .isLessThanOrEqualTo(producer.offered());
        assertThat(backupFiles()).as("no backup files: the journal kept them").isEmpty();
    }

    private List<Path> backupFiles() throws IOException {
        Path backup = workDir.resolve("gateway/backup");
        if (!Files.exists(backup)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(backup)) {
            return files.filter(f -> f.toString().endsWith(".csv") || f.toString().endsWith(".part")).toList();
        }
    }
}
