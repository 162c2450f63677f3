package io.tagbridge.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

import io.tagbridge.api.pipeline.TagBuffer;

/** Real HTTP requests against the REST whiteboard on Felix HTTP (Jetty 12). */
@ExtendWith(ServiceExtension.class)
class RestTest {

    private static final String BASE = "http://127.0.0.1:18080/api/buffer/";

    @InjectService
    ConfigurationAdmin cm;

    @InjectService
    TagBuffer buffer;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(BASE + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(BASE + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
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
            assertThat(accepted.body()).contains("\"accepted\":3");
            Await.until("3 rows from REST", TestPipeline.TIMEOUT, () -> TestPipeline.rows(db, "REST_VALUES"),
                    n -> n == 3);

            long acceptedBefore = buffer.status().accepted();
            HttpResponse<String> malformed = post("values", """
                    [{"tagName":"rest.d","sourceTime":"2026-01-01T00:00:00Z","value":2},
                     {"tagName":"rest.e","sourceTime":"not a time","value":3}]""");
            assertThat(malformed.statusCode()).isEqualTo(400);
            assertThat(malformed.body()).contains("[1].sourceTime");
            assertThat(buffer.status().accepted()).as("no part of a refused request is ingested")
                    .isEqualTo(acceptedBefore);
            assertThat(post("values", "{not json").statusCode()).isEqualTo(400);

            HttpResponse<String> health = Await.until("health UP after a write", TestPipeline.TIMEOUT,
                    () -> get("health"), r -> r.body().contains("\"status\":\"UP\""));
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"database\"", "\"reachable\":true", "\"buffer\"",
                    "\"fillPercent\"", "\"lastSuccessfulWrite\"");
        }
    }

    @Test
    void healthAnswers503WhenNoWriterRuns() throws Exception {
        HttpResponse<String> health = Await.until("health to notice that no writer runs", TestPipeline.TIMEOUT,
                () -> get("health"), r -> r.body().contains("no writer is running"));
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).contains("\"status\":\"DOWN\"");
    }
}
