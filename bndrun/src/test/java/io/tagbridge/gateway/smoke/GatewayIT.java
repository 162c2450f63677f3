package io.tagbridge.gateway.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
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
        String output;
        try (GatewayProcess gateway = new GatewayProcess(workDir).start()) {
            String metrics = gateway.awaitGet("/api/buffer/writer/metrics",
                    body -> !body.contains("\"writeSuccessCount\":0,"), GatewayProcess.START_TIMEOUT);
            assertThat(metrics).contains("\"writeFailureCount\":0", "\"valuesRefused\":0");
            gateway.stop(Duration.ofSeconds(10));
            output = gateway.log();
        }

        Matcher accepted = ACCEPTED.matcher(output);
        assertThat(accepted.find()).as("the buffer reports what it accepted on stop:\n" + output).isTrue();
        long backedUp = backupRows();
        assertThat(rows() + backedUp).isEqualTo(Long.parseLong(accepted.group(1)));
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
