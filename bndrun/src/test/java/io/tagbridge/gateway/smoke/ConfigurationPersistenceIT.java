package io.tagbridge.gateway.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.tagbridge.testkit.GatewayProcess;

/**
 * What an operator does survives a restart, although the gateway's framework starts afresh each time: the
 * configuration store lives in the data directory, which one gateway at a time may use.
 */
class ConfigurationPersistenceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String METRICS = "/api/buffer/writer/metrics";

    @TempDir
    Path workDir;

    @Test
    void aBatchSizeSavedInTheWebConsoleStillAppliesAfterARestart() throws Exception {
        try (GatewayProcess gateway = new GatewayProcess(workDir).start()) {
            gateway.awaitGet(METRICS, body -> written(body) > 0, GatewayProcess.START_TIMEOUT);
            gateway.awaitConsole();

            // the catch-up size too: after the restart values wait, and batches would grow to it
            var saved = gateway.postForm("/system/console/configMgr/io.tagbridge.writer~default",
                    "apply=true&action=ajaxConfigManager&propertylist=name,batchSize,catchUpBatchSize&name=default"
                            + "&batchSize=100&catchUpBatchSize=100");
            assertThat(saved.statusCode()).as(saved.body()).isIn(200, 302);
            gateway.awaitGet(METRICS, body -> gatewayLogs(gateway, "batches of 100"), Duration.ofSeconds(30));
            gateway.stop(Duration.ofSeconds(15));

            gateway.start();
            String metrics = gateway.awaitGet(METRICS, body -> batchesSinceStart(body) >= 10,
                    GatewayProcess.START_TIMEOUT);
            assertThat(JSON.readTree(metrics).get("averageBatchSize").asDouble())
                    .as("batches after the restart, with the simulator at 1,000 values/s").isBetween(1.0, 100.0);
            assertThat(gateway.log().split("=== start 2")[1]).contains("Writer default started")
                    .contains("batches of 100");
        }
    }

    @Test
    void aBatchSizeSavedInTheWebConsoleIsWrittenIntoItsEtcFileAndStillAppliesAfterARestart() throws Exception {
        try (GatewayProcess gateway = new GatewayProcess(workDir)) {
            gateway.configure("io.tagbridge.writer-default.cfg", "# the plant's writer\nname=default\nbatchSize=500\n")
                    .start();
            gateway.awaitGet(METRICS, body -> written(body) > 0, GatewayProcess.START_TIMEOUT);
            gateway.awaitConsole();
            Path etc = workDir.resolve("etc/io.tagbridge.writer-default.cfg");

            var saved = gateway.postForm("/system/console/configMgr/io.tagbridge.writer~default",
                    "apply=true&action=ajaxConfigManager&propertylist=name,batchSize&name=default&batchSize=100");
            assertThat(saved.statusCode()).as(saved.body()).isIn(200, 302);
            gateway.awaitGet(METRICS, body -> fileSays(etc, "batchSize=100"), Duration.ofSeconds(30));
            assertThat(Files.readString(etc)).startsWith("# the plant's writer\n").doesNotContain("batchSize=500");
            gateway.stop(Duration.ofSeconds(15));

            gateway.start();
            gateway.awaitGet(METRICS, body -> batchesSinceStart(body) >= 10, GatewayProcess.START_TIMEOUT);
            assertThat(gateway.log().split("=== start 2")[1]).contains("Writer default started")
                    .contains("batches of 100").doesNotContain("batches of 500");
        }
    }

    private static boolean fileSays(Path file, String line) {
        try {
            return Files.readAllLines(file).contains(line);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void aSecondGatewayOnTheSameDataDirectoryExitsAndSaysWhoHoldsIt() throws Exception {
        try (GatewayProcess first = new GatewayProcess(workDir).start()) {
            first.awaitGet(METRICS, body -> written(body) > 0, GatewayProcess.START_TIMEOUT);

            try (GatewayProcess second = new GatewayProcess(workDir.resolve("second"))) {
                second.start("-Dtagbridge.data=" + workDir.resolve("data"));
                assertThat(second.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
                assertThat(second.log()).contains("is in use by another Tagbridge process (pid")
                        .contains("-Dtagbridge.data=");
            }
            first.awaitGet(METRICS, body -> written(body) > 0, Duration.ofSeconds(5));
        }
    }

    private static long written(String metrics) {
        try {
            return JSON.readTree(metrics).get("valuesWritten").asLong();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /** Batches committed in the rolling window, which starts empty at every start, unlike the counters. */
    private static long batchesSinceStart(String metrics) {
        try {
            return JSON.readTree(metrics).get("writeSuccessCount").asLong();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static boolean gatewayLogs(GatewayProcess gateway, String text) {
        try {
            return gateway.log().contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
