package io.tagbridge.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tagbridge.api.RefusalReason;
import io.tagbridge.api.pipeline.BufferStatus;
import io.tagbridge.api.pipeline.TagBuffer;
import io.tagbridge.testkit.Await;
import io.tagbridge.testkit.GatewayHttp;

/** Real HTTP requests against the REST whiteboard on Felix HTTP (Jetty 12). */
@ExtendWith(ServiceExtension.class)
class RestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String BASE = "/api/buffer/";

    @InjectService
    ConfigurationAdmin cm;

    @InjectService
    TagBuffer buffer;

    private final GatewayHttp http = Http.anonymous();

    private HttpResponse<String> get(String path) throws Exception {
        return http.get(BASE + path);
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return Operator.http().postJson(BASE + path, json);
    }

    @Test
    void metricsHealthAndIngestAnswerWithTheirFieldsAndRefuseMalformedInput() throws Exception {
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            pipeline.pool("rest");
            pipeline.writer("rest", "rest", "REST_VALUES", Map.of());
            DataSource db = pipeline.dataSource("rest");

            HttpResponse<String> metrics = Await.until("the metrics endpoint", TestPipeline.TIMEOUT,
                    () -> get("writer/metrics"), r -> r.statusCode() == 200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/json"));
            assertThat(metrics.body()).contains("\"windowSeconds\":300", "\"averageBatchSize\":",
                    "\"averageWriteLatencyMs\":", "\"throughputPerSecond\":", "\"writeSuccessCount\":",
                    "\"writeFailureCount\":", "\"successRatePercent\":");

            HttpResponse<String> accepted = post("values", """
                    [{"tagName":"rest.a","sourceTime":"2026-01-01T00:00:00.000001Z","value":1.5,"quality":192},
                     {"tagName":"rest.b","sourceTime":"2026-01-01T00:00:00Z","value":"open","quality":"GOOD"},
                     {"tagName":"rest.c","sourceTime":"2026-01-01T00:00:00Z","value":true}]""");
            assertThat(accepted.statusCode()).isEqualTo(200);
            assertThat(accepted.body()).contains("\"accepted\":3").as("answered once on disk")
                    .contains("\"durable\":true");
            Await.until("3 rows from REST", TestPipeline.TIMEOUT, () -> TestPipeline.rows(db, "REST_VALUES"),
                    n -> n == 3);

            BufferStatus before = buffer.status();
            HttpResponse<String> malformed = post("values", """
                    [{"tagName":"rest.d","sourceTime":"2026-01-01T00:00:00Z","value":2},
                     {"tagName":"rest.e","sourceTime":"not a time","value":3}]""");
            assertThat(malformed.statusCode()).isEqualTo(400);
            assertThat(malformed.body()).contains("[1].sourceTime");
            BufferStatus after = buffer.status();
            assertThat(after.accepted()).as("no part of a refused request is ingested").isEqualTo(before.accepted());
            assertThat(after.refused().get(RefusalReason.INVALID) - before.refused().get(RefusalReason.INVALID))
                    .as("both values of the request are counted as refused, invalid").isEqualTo(2);
            assertThat(after.offered() - before.offered()).isEqualTo(2);
            assertThat(post("values", "{not json").statusCode()).isEqualTo(400);

            JsonNode health = JSON.readTree(Await.until("the target to write", TestPipeline.TIMEOUT,
                    () -> get("health"), r -> r.body().contains("\"lastSuccessfulWrite\":\"")).body());
            JsonNode target = health.get("targets").get("rest");
            assertThat(target.get("status").asText()).isEqualTo("UP");
            assertThat(target.get("state").asText()).isEqualTo("WRITING");
            assertThat(target.get("reason").asText()).isEqualTo("COMMITTED");
            assertThat(health.get("components").get("buffer").get("details").has("fillPercent")).isTrue();

            JsonNode counters = JSON.readTree(get("writer/metrics").body());
            assertThat(counters.get("valuesOffered").asLong()).isEqualTo(counters.get("valuesAccepted").asLong()
                    + counters.get("valuesRefused").asLong() + counters.get("valuesFiltered").asLong());
            assertThat(counters.get("refused").get("INVALID").asLong()).isGreaterThanOrEqualTo(3);
            assertThat(counters.get("targets").get("rest").get("valuesWritten").asLong()).isEqualTo(3);
        }
    }

    @Test
    void deletingABackupFileThatDoesNotExistAnswers404AndNamesIt() throws Exception {
        Operator.logIn(cm);
        String file = "default/backup_20000101_000000.csv";

        HttpResponse<String> deleted = Operator.http().delete(BASE + "backups/" + file);

        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(404);
        assertThat(deleted.body()).contains("backup_20000101_000000.csv");
        assertThat(deleted.body()).doesNotContain("\"deleted\"");
    }

    @Test
    void healthAnswers503WhenNoTargetIsConfigured() throws Exception {
        Operator.logIn(cm);
        HttpResponse<String> health = Await.until("health to notice that no target is configured",
                TestPipeline.TIMEOUT, () -> get("health"), r -> r.body().contains("\"reason\":\"NO_TARGET\""));
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).contains("\"status\":\"DOWN\"");
    }
}
