package io.tagbridge.gateway.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported gateway as a user runs it: java -jar tagbridge.jar in an empty working directory, with only
 * an ./etc file for the HTTP port. Checks that the built-in defaults run the simulator into the embedded
 * database, and that SIGTERM stops it in order with every accepted value in the database or a backup.
 */
class GatewayIT {

    private static final Pattern ACCEPTED = Pattern.compile("Buffer stopped: (\\d+) values accepted");

    @TempDir
    Path workDir;

    @Test
    void theDefaultGatewayWritesSimulatedValuesAndLosesNoneOnSigterm() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Files.createDirectories(workDir.resolve("etc"));
        Files.writeString(workDir.resolve("etc/org.apache.felix.http.cfg"), "org.osgi.service.http.port=" + port + "\n");
        Path log = workDir.resolve("gateway.log");
        Path jar = Path.of("target/tagbridge.jar").toAbsolutePath();
        String java = ProcessHandle.current().info().command().orElse("java");
        Process gateway = new ProcessBuilder(java, "-jar", jar.toString()).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        try {
            String metrics = awaitThroughput(port, log);
            assertThat(metrics).contains("\"writeFailureCount\":0", "\"valuesRejected\":0");
        } finally {
            gateway.destroy();
            assertThat(gateway.waitFor(10, TimeUnit.SECONDS)).as("stopped within 10 s of SIGTERM").isTrue();
        }

        String output = Files.readString(log);
        Matcher accepted = ACCEPTED.matcher(output);
        assertThat(accepted.find()).as("the buffer reports what it accepted on stop:\n" + output).isTrue();
        long backedUp = backupRows();
        assertThat(rows() + backedUp).isEqualTo(Long.parseLong(accepted.group(1)));
    }

    private String awaitThroughput(int port, Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/buffer/writer/metrics"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                last = response.body();
                if (response.statusCode() == 200 && !last.contains("\"writeSuccessCount\":0,")) {
                    return last;
                }
            } catch (IOException notYetListening) {
                last = notYetListening.toString();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the gateway wrote nothing within 60 s; last answer: " + last + "\n"
                + Files.readString(log));
    }

    private long rows() throws Exception {
        String url = "jdbc:h2:file:" + workDir.resolve("data/tagbridge") + ";MODE=Oracle";
        try (Connection c = DriverManager.getConnection(url, "sa", "");
                ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM TAG_VALUES")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long backupRows() throws IOException {
        Path dir = workDir.resolve("backup");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        long rows = 0;
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".csv")).toList()) {
                rows += Files.readAllLines(f).size() - 1;
            }
        }
        return rows;
    }
}
