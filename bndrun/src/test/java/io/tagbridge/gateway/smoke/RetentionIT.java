package io.tagbridge.gateway.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStreamReader;
import java.io.Reader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tagbridge.testkit.GatewayProcess;

/**
 * Retention by age in the exported gateway, configured in etc files as an operator does: the default writer's
 * database is away and it keeps values 3.6 s (maxAgeHours=0.001) with expiredValues=ARCHIVE. Values posted then
 * expire out of the journal into a compressed archive file, counted as dropped (EXPIRED), named in health and in
 * /metrics. A gateway of its own: health stays DEGRADED for a while after values expire, which no other test should
 * see.
 */
class RetentionIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VALUES = 50;

    @TempDir
    Path workDir;

    @Test
    void valuesOlderThanTheWriterKeepsThemMoveToAnArchiveFileAndAreCountedExpiredInHealthAndMetrics()
            throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0)) {
            closed = probe.getLocalPort();
        }
        try (GatewayProcess gateway = new GatewayProcess(workDir)
                .configure("io.tagbridge.simulator.cfg", "enabled=false\n")
                .configure("io.tagbridge.oracle.pool-default.cfg", "name=default\nurl=jdbc:h2:tcp://127.0.0.1:"
                        + closed + "/gone\nusername=sa\npassword=\npoolMin=0\n")
                .configure("io.tagbridge.writer-default.cfg", "name=default\nretryDelaySeconds=0.2\n"
                        + "retryMaxDelaySeconds=1\noutageProbeSeconds=1\nmaxAgeHours=0.001\nexpiredValues=ARCHIVE\n")
                .start()) {
            gateway.awaitGet("/api/buffer/health", body -> body.contains("\"default\""), GatewayProcess.START_TIMEOUT);
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            List<String> posted = new ArrayList<>();
            for (int i = 0; i < VALUES; i++) {
                posted.add("{\"tagName\":\"line1.temp\",\"sourceTime\":\"" + now.plusMillis(i) + "\",\"value\":" + i
                        + "}");
            }
            assertThat(gateway.postJson("/api/buffer/values", "[" + String.join(",", posted) + "]").statusCode())
                    .isEqualTo(200);

            gateway.await("the posted values to expire", () -> gateway.get("/api/buffer/writer/metrics"),
                    r -> tree(r.body()).path("targets").path("default").path("dropped").path("EXPIRED")
                            .asLong() == VALUES, Duration.ofSeconds(60));

            JsonNode buffer = tree(gateway.await("health to say so", () -> gateway.get("/api/buffer/health"),
                    r -> tree(r.body()).path("components").path("buffer").path("reason").asText().equals("EXPIRED"),
                    Duration.ofSeconds(10)).body()).path("components").path("buffer");
            assertThat(buffer.path("reason").asText()).isEqualTo("EXPIRED");
            assertThat(buffer.path("status").asText()).isEqualTo("DEGRADED");
            assertThat(buffer.path("advice").asText()).contains("target default: 50 values", "archive", "maxAgeHours");
            JsonNode target = tree(gateway.get("/api/buffer/writer/metrics").body()).path("targets").path("default");
            assertThat(target.path("backlog").asLong()).isZero();
            assertThat(gateway.get("/metrics").body()).contains("tagbridge_backup_archived_files 1.0",
                    "tagbridge_values_expired_total{target=\"default\"} 50.0");

            List<Path> archives;
            try (Stream<Path> all = Files.walk(workDir.resolve("backup/archive/default"))) {
                archives = all.filter(f -> f.toString().endsWith(".csv.gz")).toList();
            }
            assertThat(archives).hasSize(1);
            List<String> lines;
            try (Reader in = new InputStreamReader(new GZIPInputStream(Files.newInputStream(archives.get(0))),
                    StandardCharsets.UTF_8)) {
                lines = new java.io.BufferedReader(in).lines().toList();
            }
            assertThat(lines.get(0)).isEqualTo("tag_name,source_time,value_type,value,quality,received_time");
            assertThat(lines.get(1)).startsWith("# reason: accepted more than 0.001 h ago");
            assertThat(lines.subList(2, lines.size())).hasSize(VALUES)
                    .allSatisfy(line -> assertThat(line).startsWith("line1.temp,"));
        }
    }

    private static JsonNode tree(String body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
