package io.tagbridge.gateway.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tagbridge.testkit.GatewayProcess;

/**
 * The clock guard in the exported gateway, over REST as a producer meets it: a value from a device whose clock says
 * 1970 is refused with 422 and named in health; once an operator sets {@code clockPolicy=USE_RECEIVED_TIME} in the
 * buffer's etc file, such values are taken and counted. A gateway of its own: health stays DEGRADED for a while
 * after suspect times, which no other test should see.
 */
class SuspectClockIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VALUES = "/api/buffer/values";
    private static final String FROM_1970 = """
            [{"tagName":"dev.boot","sourceTime":"1970-01-01T00:00:05Z","value":1.5,"quality":193}]""";

    @TempDir
    Path workDir;

    private static JsonNode tree(String body) throws Exception {
        return JSON.readTree(body);
    }

    @Test
    void aValueFrom1970IsRefusedWith422AndNamedInHealthUntilTheOperatorLetsSuchValuesInAndTheyAreCounted()
            throws Exception {
        try (GatewayProcess gateway = new GatewayProcess(workDir).start()) {
            gateway.awaitGet("/api/buffer/health", body -> body.contains("\"default\""),
                    GatewayProcess.START_TIMEOUT);

            HttpResponse<String> refused = gateway.postJson(VALUES, FROM_1970);
            assertThat(refused.statusCode()).as("sending again cannot help").isEqualTo(422);
            assertThat(refused.headers().firstValue("Retry-After")).isEmpty();
            assertThat(tree(refused.body()).path("reasonCode").asText()).isEqualTo("CLOCK_SUSPECT");
            assertThat(tree(refused.body()).path("reason").asText()).contains("dev.boot at 1970-01-01T00:00:05Z");
            JsonNode buffer = tree(gateway.get("/api/buffer/health").body()).path("components").path("buffer");
            assertThat(buffer.path("reason").asText()).isEqualTo("CLOCK_SUSPECT");
            assertThat(buffer.path("status").asText()).isEqualTo("DEGRADED");
            assertThat(buffer.path("advice").asText()).contains("dev.boot", "refused");
            JsonNode metrics = tree(gateway.get("/api/buffer/writer/metrics").body());
            assertThat(metrics.path("refused").path("CLOCK_SUSPECT").asLong()).isEqualTo(1);
            assertThat(metrics.path("valuesClockSuspect").asLong()).isZero();

            gateway.configure("io.tagbridge.buffer.cfg", "clockPolicy=USE_RECEIVED_TIME\n");
            gateway.await("the buffer to store suspect values at their received time",
                    () -> gateway.postJson(VALUES, FROM_1970), r -> r.statusCode() == 200, Duration.ofSeconds(60));

            metrics = tree(gateway.get("/api/buffer/writer/metrics").body());
            assertThat(metrics.path("valuesClockSuspect").asLong()).isEqualTo(1);
            assertThat(tree(gateway.get("/api/buffer/health").body()).path("components").path("buffer")
                    .path("advice").asText()).contains("received time", "UNCERTAIN");
            assertThat(gateway.get("/metrics").body()).contains("tagbridge_values_clock_suspect_total 1.0");
        }
    }
}
