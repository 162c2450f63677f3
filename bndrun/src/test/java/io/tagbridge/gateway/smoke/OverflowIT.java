package io.tagbridge.gateway.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tagbridge.testkit.GatewayProcess;
import io.tagbridge.testkit.Producer;

/**
 * The gateway when values have nowhere to go: a database that is not there and a backup folder at its limit fill
 * the memory buffer, which warns, then refuses; a full journal spills to backup files; a memory buffer whose writer
 * is stopped drops its oldest values and counts them; and offers the buffer can never take are refused with their
 * reason, nothing of them taken.
 */
class OverflowIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEALTH = "/api/buffer/health";
    private static final String METRICS = "/api/buffer/writer/metrics";

    @TempDir
    Path workDir;

    @Test
    void withNeitherDatabaseNorBackupTakingValuesTheBufferWarnsAsItFillsThenRefusesWhileTheWriterHoldsItsBatch()
            throws Exception {
        try (GatewayProcess gateway = new GatewayProcess(workDir)) {
            withoutDatabase(gateway)
                    .configure("io.tagbridge.buffer.cfg", "journal=false\ncapacity=10000\n"
                            + "overflowPolicy=DROP_OLDEST\n")
                    .configure("io.tagbridge.backup.cfg", "maxMegabytes=1\nminFreeMegabytes=0\n")
                    .configure("io.tagbridge.metrics.cfg", "bufferDegradedPercent=50\nbufferDownPercent=95\n")
                    .configure("io.tagbridge.simulator.cfg", "enabled=false\n");
            gateway.start();
            // 1,000 values/s fill the 10,000 values from half to nearly full in 4.5 s, long enough for health to be
            // seen on the way (at 3,000/s it once went from under half to full between two looks)
            try (Producer producer = new Producer(gateway.port, "nowhere.", 1_000)) {
                JsonNode full = component(gateway, "backup", "BACKUP_FULL");
                assertThat(full.get("status").asText()).isEqualTo("DEGRADED");
                JsonNode target = awaitHealth(gateway, "target default refusing for want of a backup",
                        h -> h.path("targets").path("default"), t -> t.path("reason").asText().equals("BACKUP_FAILING"));
                assertThat(target.get("status").asText()).isEqualTo("DOWN");

                JsonNode filling = component(gateway, "buffer", "BUFFER_FILLING");
                assertThat(filling.get("status").asText()).isEqualTo("DEGRADED");
                JsonNode nearlyFull = component(gateway, "buffer", "BUFFER_NEARLY_FULL");
                assertThat(nearlyFull.get("status").asText()).isEqualTo("DOWN");

                // The writer holds its oldest batch for the database or the backup: nothing can be dropped, so
                // new values are refused, counted, and stay the producer's.
                JsonNode refused = tree(gateway.awaitGet(METRICS, body -> tree(body).path("refused")
                        .path("BUFFER_FULL").asLong() > 0, Duration.ofSeconds(60)));
                assertThat(refused.path("valuesDropped").asLong()).isZero();
                assertThat(tree(gateway.getAs(HEALTH, GatewayProcess.USER, GatewayProcess.PASSWORD).body())
                        .path("components").path("buffer").path("details").path("lastRefusal").asText())
                        .contains("nothing could be dropped");
                HttpResponse<String> refusedPost = gateway.postJson("/api/buffer/values", values("late.", 100)); // more than the room a refused 50-value post of the producer leaves
                assertThat(refusedPost.statusCode()).as(refusedPost.body()).isEqualTo(503);
                assertThat(refusedPost.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(tree(refusedPost.body()).path("reasonCode").asText()).isEqualTo("BUFFER_FULL");
                assertThat(tree(refusedPost.body()).path("accepted").asInt()).isZero();

                // The outage's log: short lines, no stack traces, whatever the driver and the pool threw.
                String log = gateway.log();
                assertThat(log).doesNotContainPattern("(?m)^\\s+at [a-zA-Z]");
                assertThat(log.lines().filter(line -> line.contains("Writer default")))
                        .isNotEmpty().allSatisfy(line -> assertThat(line).hasSizeLessThan(600));
            }
        }
    }

    @Test
    void withTheDatabaseAwayANearlyFullJournalMovesTheOldestValuesToBackupFilesAndRefusesNothing() throws Exception {
        try (GatewayProcess gateway = new GatewayProcess(workDir)) {
            withoutDatabase(gateway)
                    .configure("io.tagbridge.buffer.cfg", "journalSegmentMegabytes=1\njournalMaxMegabytes=4\n")
                    .configure("io.tagbridge.simulator.cfg", "enabled=false\n");
            gateway.start();
            try (Producer producer = new Producer(gateway.port, "spilled.", 20_000)) {
                JsonNode spilling = component(gateway, "buffer", "SPILLING");
                assertThat(spilling.get("status").asText()).isEqualTo("DEGRADED");
                assertThat(spilling.get("advice").asText()).contains("target default");
                JsonNode metrics = tree(gateway.awaitGet(METRICS, body -> tree(body).path("valuesBackedUp")
                        .asLong() > 0, Duration.ofSeconds(60)));
                assertThat(metrics.path("valuesRefused").asLong()).as("room made by spilling: nothing refused")
                        .isZero();
            }
        }
    }

    @Test
    void whenTheBackupsDiskIsBelowItsGuardTooAFullJournalSaysSpillFailingAndTheOverflowPolicyRefuses()
            throws Exception {
        try (GatewayProcess gateway = new GatewayProcess(workDir)) {
            withoutDatabase(gateway)
                    .configure("io.tagbridge.buffer.cfg", "journalSegmentMegabytes=1\njournalMaxMegabytes=4\n"
                            + "overflowPolicy=REJECT_NEWEST\n")
                    // more free space than any disk here has: the backup's guard refuses every file
                    .configure("io.tagbridge.backup.cfg", "minFreeMegabytes=2000000000\n")
                    // the alarm mark at 100 %: until the journal is quite full, health says why it fills
                    .configure("io.tagbridge.metrics.cfg", "bufferDownPercent=100\n")
                    .configure("io.tagbridge.simulator.cfg", "enabled=false\n");
            gateway.start();
            try (Producer producer = new Producer(gateway.port, "unspilled.", 20_000)) {
                JsonNode diskLow = component(gateway, "backup", "BACKUP_DISK_LOW");
                assertThat(diskLow.get("status").asText()).isEqualTo("DEGRADED");
                JsonNode failing = component(gateway, "buffer", "SPILL_FAILING");
                assertThat(failing.get("status").asText()).isEqualTo("DEGRADED");
                JsonNode metrics = tree(gateway.awaitGet(METRICS, body -> tree(body).path("refused")
                        .path("BUFFER_FULL").asLong() > 0, Duration.ofSeconds(60)));
                assertThat(metrics.path("valuesBackedUp").asLong()).isZero();
                assertThat(metrics.path("valuesDropped").asLong()).as("refused, not dropped").isZero();
            }
        }
    }

    @Test
    void withItsWriterStoppedTheMemoryBufferDropsItsOldestValuesAndCountsThemAsOverflow() throws Exception {
        try (GatewayProcess gateway = new GatewayProcess(workDir)) {
            gateway.configure("io.tagbridge.buffer.cfg", "journal=false\ncapacity=5000\noverflowPolicy=DROP_OLDEST\n")
                    .configure("io.tagbridge.simulator.cfg", "enabled=false\n");
            gateway.start();
            gateway.awaitGet(HEALTH, body -> body.contains("\"targets\":{\"default\""), GatewayProcess.START_TIMEOUT);
            gateway.shell("stop io.tagbridge.writer");
            awaitHealth(gateway, "the writer bundle stopped", h -> h.path("targets").path("default"),
                    t -> t.path("reason").asText().equals("WRITER_BUNDLE_STOPPED"));

            try (Producer producer = new Producer(gateway.port, "kept.", 2_000)) {
                JsonNode dropped = tree(gateway.awaitGet(METRICS, body -> overflowDrops(body) > 0,
                        Duration.ofSeconds(60)));
                assertThat(dropped.path("refused").path("BUFFER_FULL").asLong()).as("room made, nothing refused")
                        .isZero();
                assertThat(dropped.path("valuesDropped").asLong()).as("every dropped value counted as overflow")
                        .isEqualTo(overflowDrops(dropped.toString()));
            }
        }
    }

    @Test
    void offersNoTargetTakesOrLargerThanAJournalSegmentAreRefusedWithTheirReasonAndNothingIsTaken() throws Exception {
        try (GatewayProcess gateway = new GatewayProcess(workDir)) {
            gateway.configure("io.tagbridge.writer-default.cfg", "name=default\ntagFilter=plant.*\n")
                    .configure("io.tagbridge.buffer.cfg", "journalSegmentMegabytes=1\n")
                    .configure("io.tagbridge.rest.cfg", "maxValuesPerRequest=100000\nmaxRequestKilobytes=16384\n")
                    .configure("io.tagbridge.simulator.cfg", "enabled=false\n");
            gateway.start();
            gateway.awaitGet(HEALTH, body -> body.contains("\"targets\":{\"default\""), GatewayProcess.START_TIMEOUT);

            HttpResponse<String> nobody = gateway.postJson("/api/buffer/values", values("office.", 10));
            HttpResponse<String> tooMany = gateway.postJson("/api/buffer/values", values("plant.", 60_000));

            assertThat(JSON.readTree(nobody.body()).path("reasonCode").asText()).as(nobody.body())
                    .isEqualTo("NO_TARGET");
            assertThat(nobody.body()).contains("office.0");
            assertThat(JSON.readTree(tooMany.body()).path("reasonCode").asText()).as(tooMany.body())
                    .isEqualTo("TOO_LARGE");
            assertThat(tooMany.body()).contains("offer fewer at a time");
            JsonNode totals = JSON.readTree(gateway.get(METRICS).body());
            assertThat(totals.path("valuesAccepted").asLong()).as("nothing of either request taken").isZero();
            assertThat(totals.path("refused").path("NO_TARGET").asLong()).isEqualTo(10);
            assertThat(totals.path("refused").path("TOO_LARGE").asLong()).isEqualTo(60_000);
        }
    }

    /** The default target on a database that is not there, retrying quickly. */
    private static GatewayProcess withoutDatabase(GatewayProcess gateway) throws java.io.IOException {
        return gateway.configure("io.tagbridge.oracle.pool-default.cfg", "name=default\nurl=jdbc:h2:tcp://127.0.0.1:"
                + closedPort() + "/gone\nusername=sa\npassword=\npoolMin=0\n")
                .configure("io.tagbridge.writer-default.cfg", "name=default\nretryDelaySeconds=0.2\n"
                        + "retryMaxDelaySeconds=1\noutageProbeSeconds=1\n");
    }

    private static JsonNode component(GatewayProcess gateway, String part, String reason) throws Exception {
        return awaitHealth(gateway, "health's " + part + " to say " + reason,
                h -> h.path("components").path(part), c -> c.path("reason").asText().equals(reason));
    }

    private static JsonNode awaitHealth(GatewayProcess gateway, String what,
            java.util.function.Function<JsonNode, JsonNode> part, java.util.function.Predicate<JsonNode> done)
            throws Exception {
        String body = gateway.await(what, () -> gateway.getAs(HEALTH, GatewayProcess.USER, GatewayProcess.PASSWORD),
                answer -> done.test(part.apply(tree(answer.body()))), Duration.ofSeconds(90)).body();
        return part.apply(tree(body));
    }

    private static long overflowDrops(String metrics) {
        return tree(metrics).path("targets").path("default").path("dropped").path("OVERFLOW").asLong();
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String values(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> "{\"tagName\":\"" + prefix + i + "\",\"sourceTime\":\""
                + java.time.Instant.parse("2026-01-01T00:00:00Z").plusMillis(i) + "\",\"value\":" + i + "}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static int closedPort() throws java.io.IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }
}
