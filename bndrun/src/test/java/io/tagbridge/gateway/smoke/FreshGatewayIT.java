package io.tagbridge.gateway.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tagbridge.testkit.GatewayProcess;

/**
 * What the README's first pages promise of a gateway started with nothing configured: the simulator's values
 * written at about 1,000 a second, the history the dashboard draws, and a gateway that keeps running when its
 * stdin is not a terminal.
 */
class FreshGatewayIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String METRICS = "/api/buffer/writer/metrics";

    @TempDir
    Path workDir;

    @Test
    void aFreshGatewayWritesTheSimulatorsValuesAtAbout1000ASecondAndWarnsOfNothing() throws Exception {
        try (GatewayProcess gateway = new GatewayProcess(workDir).start()) {
            String metrics = gateway.awaitGet(METRICS, body -> {
                double rate = tree(body).path("throughputPerSecond").asDouble();
                return rate >= 900 && rate <= 1_100;
            }, Duration.ofMinutes(3));
            assertThat(tree(metrics).path("valuesRefused").asLong()).isZero();
            assertThat(gateway.log()).as("the start log carries no warning an operator would take for trouble")
                    .doesNotContain("WARNING:", "WADL", "JAXB");
        }
    }

    @Test
    void theHistoryHasTheDocumentedColumnsSecondBySecond() throws Exception {
        try (GatewayProcess gateway = new GatewayProcess(workDir).start()) {
            JsonNode history = tree(gateway.awaitGet(METRICS + "/history",
                    body -> tree(body).path("seconds").size() >= 3 && body.contains("\"default\""),
                    GatewayProcess.START_TIMEOUT));

            assertThat(names(history)).containsExactly("seconds", "written", "refused", "dropped",
                    "writeLatencyP50Ms", "writeLatencyP99Ms", "sourceToCommitP99Ms", "targets");
            int seconds = history.get("seconds").size();
            for (String column : List.of("written", "refused", "dropped", "writeLatencyP50Ms", "writeLatencyP99Ms",
                    "sourceToCommitP99Ms")) {
                assertThat(history.get(column).size()).as(column).isEqualTo(seconds);
            }
            for (int i = 1; i < seconds; i++) {
                assertThat(history.get("seconds").get(i).asLong()).as("second by second")
                        .isEqualTo(history.get("seconds").get(i - 1).asLong() + 1);
            }
            JsonNode target = history.path("targets").path("default");
            assertThat(names(target)).containsExactly("written", "backlog");
            assertThat(target.get("written").size()).isEqualTo(seconds);
            assertThat(target.get("backlog").size()).isEqualTo(seconds);
        }
    }

    @Test
    void withStdinAtItsEndTheShellEndsButTheGatewayKeepsWriting() throws Exception {
        try (GatewayProcess gateway = new GatewayProcess(workDir).stdinAtEnd().start()) {
            long first = written(gateway.awaitGet(METRICS, body -> written(body) > 0, GatewayProcess.START_TIMEOUT));
            // The gateway process is checked at every poll: had the shell's end stopped it, this fails at once.
            gateway.awaitGet(METRICS, body -> written(body) >= first + 2_000, Duration.ofMinutes(1));
        }
    }

    private static long written(String metrics) {
        return tree(metrics).path("valuesWritten").asLong();
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
