package io.tagbridge.gateway.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tagbridge.testkit.Readme;
import io.tagbridge.testkit.Await;
import io.tagbridge.testkit.GatewayProcess;

/**
 * GET /metrics as Prometheus reads it: Debian's promtool lints the exposition and checks and tests the alert rules
 * that ship with Tagbridge, and a real Prometheus server on the loopback interface, with those rules, scrapes the
 * gateway and answers every query of the rules and of the Grafana dashboard.
 */
class PrometheusIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The alert rules and the Grafana dashboard that ship with Tagbridge. */
    private static final Path MONITORING = Path.of("..", "features", "monitoring");
    private static final Path RULES = MONITORING.resolve("tagbridge-alerts.yml");

    @TempDir
    Path workDir;

    private static Path tool(String name) {
        Path tool = Path.of("/usr/bin", name);
        assertThat(tool).as(name + " is missing: install Debian's prometheus package (.ci/run does)").exists();
        return tool;
    }

    @Test
    void promtoolFindsNothingToFixInTheExposition() throws Exception {
        Path promtool = tool("promtool");
        try (GatewayProcess gateway = new GatewayProcess(workDir).start()) {
            // Once the writer runs: at start-up the target exists before it writes, and shows up 0.
            String exposition = gateway.awaitGet("/metrics",
                    body -> body.contains("tagbridge_write_duration_seconds_count{target=\"default\"}")
                            && body.contains("tagbridge_target_up{target=\"default\"} 1"),
                    GatewayProcess.START_TIMEOUT);
            Process lint = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
            lint.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
            lint.getOutputStream().close();
            String said = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(lint.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(lint.exitValue()).as(said).isZero();
            assertThat(exposition).contains("# TYPE tagbridge_values_written_total counter",
                    "# TYPE tagbridge_source_to_commit_seconds histogram", "tagbridge_target_up{target=\"default\"} 1");
        }
    }

    @Test
    void everyMetricTheReadmeListsIsExposedWithItsType() throws Exception {
        Map<String, String> listed = Readme.of(Path.of("../README.md")).metrics();
        try (GatewayProcess gateway = new GatewayProcess(workDir).start()) {
            String exposition = gateway.awaitGet("/metrics",
                    body -> body.contains("tagbridge_write_duration_seconds_count{target=\"default\"}"),
                    GatewayProcess.START_TIMEOUT);

            assertThat(listed).as("metrics in the README's table").hasSizeGreaterThanOrEqualTo(20);
            listed.forEach((name, type) -> assertThat(exposition).as(name)
                    .contains("# TYPE " + name + " " + type + "\n"));
        }
    }

    @Test
    void theAlertRulesPassPromtoolAndEachAlertHasACaseThatFiresItAndOneThatDoesNot() throws Exception {
        assertThat(run(MONITORING, tool("promtool").toString(), "check", "rules", RULES.getFileName().toString()))
                .contains("SUCCESS");
        assertThat(run(MONITORING, tool("promtool").toString(), "test", "rules", "tagbridge-alerts.test.yml"))
                .contains("SUCCESS");

        List<String> cases = List.of(Files.readString(MONITORING.resolve("tagbridge-alerts.test.yml"))
                .split("- eval_time:"));
        assertThat(alerts()).hasSize(5).allSatisfy((name, expr) -> {
            assertThat(cases).as(name + " fires in a case").anyMatch(c -> c.contains("alertname: " + name + "\n")
                    && c.contains("exp_labels:"));
            assertThat(cases).as(name + " stays quiet in a case").anyMatch(c -> c.contains("alertname: " + name
                    + "\n") && c.contains("exp_alerts: []"));
        });
    }

    @Test
    void aPrometheusServerWithTheAlertRulesScrapesTheGatewayAndEveryPanelAndAlertExpressionReturnsASeries()
            throws Exception {
        Path prometheus = tool("prometheus");
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (GatewayProcess gateway = new GatewayProcess(workDir.resolve("gateway")).start()) {
            gateway.awaitGet("/metrics", body -> body.contains("tagbridge_values_written_total"),
                    GatewayProcess.START_TIMEOUT);
            Path config = workDir.resolve("prometheus.yml");
            Files.writeString(config, "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                    + "rule_files:\n  - " + RULES.toAbsolutePath().normalize() + "\n"
                    + "scrape_configs:\n  - job_name: tagbridge\n"
                    + "    static_configs:\n      - targets: ['127.0.0.1:" + gateway.port + "']\n");
            Process server = new ProcessBuilder(prometheus.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + workDir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(workDir.resolve("prometheus.log").toFile()).start();
            try {
                double first = awaitWritten(port, v -> v > 0);
                double later = awaitWritten(port, v -> v > first);
                assertThat(later).isGreaterThan(first);

                JsonNode rules = query(port, "/api/v1/rules", "");
                assertThat(rules.findValues("health")).as("the rules Prometheus loaded").hasSize(5)
                        .allSatisfy(h -> assertThat(h.asText()).isEqualTo("ok"));
                Map<String, String> expressions = new LinkedHashMap<>();
                for (JsonNode panel : new ObjectMapper().readTree(MONITORING.resolve("grafana-dashboard.json")
                        .toFile()).path("panels")) {
                    expressions.put("panel " + panel.path("title").asText(),
                            panel.path("targets").get(0).path("expr").asText());
                }
                // An alert's expression without its threshold: what it watches, which a sound gateway has too.
                alerts().forEach((name, expr) -> expressions.put("alert " + name,
                        expr.replaceAll("\\s*(==|!=|>=|<=|>|<)\\s*[0-9.e+]+\\s*$", "")));
                assertThat(expressions).hasSizeGreaterThanOrEqualTo(14);
                for (Map.Entry<String, String> e : expressions.entrySet()) {
                    Await.until(e.getKey() + " (" + e.getValue() + ") to return a series", Duration.ofSeconds(60),
                            () -> query(port, "/api/v1/query", e.getValue()).path("data").path("result").size(),
                            n -> n > 0, () -> Files.readString(workDir.resolve("prometheus.log")));
                }
            } finally {
                server.destroy();
                server.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The alert rules file's alerts, name to expression, in their order. */
    private static Map<String, String> alerts() throws Exception {
        Map<String, String> alerts = new LinkedHashMap<>();
        Matcher m = Pattern.compile("- alert: (\\w+)\\n\\s+expr: (.+)\\n").matcher(Files.readString(RULES));
        while (m.find()) {
            alerts.put(m.group(1), m.group(2).strip());
        }
        return alerts;
    }

    /** Runs a command in {@code directory}; its output, once it exited 0. */
    private static String run(Path directory, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + said).isZero();
        return said;
    }

    /** A GET of Prometheus' HTTP API, with {@code query} when not empty. */
    private static JsonNode query(int port, String path, String query) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + port + path + (query.isEmpty() ? ""
                : "?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)));
        return new ObjectMapper().readTree(HTTP.send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    /** Asks Prometheus for the values written until the answer satisfies {@code done}. */
    private double awaitWritten(int port, java.util.function.DoublePredicate done) throws Exception {
        URI query = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode(
                "tagbridge_values_written_total{job=\"tagbridge\",target=\"default\"}", StandardCharsets.UTF_8));
        return Await.until("Prometheus to show the values written", Duration.ofSeconds(60), () -> {
            String answer = HTTP.send(HttpRequest.newBuilder(query).build(), HttpResponse.BodyHandlers.ofString()).body();
            JsonNode result = new ObjectMapper().readTree(answer).path("data").path("result");
            return result.size() == 1 ? result.get(0).path("value").get(1).asDouble() : Double.NaN;
        }, value -> !value.isNaN() && done.test(value), () -> Files.readString(workDir.resolve("prometheus.log")));
    }
}
