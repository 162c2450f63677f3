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

import io.tagbridge.testkit.GatewayProcess;

/**
 * The exported gateway as a user runs it: java -jar tagbridge.jar in an empty working directory, with only
 * an ./etc file for the HTTP port. Checks that the built-in defaults run the simulator into the embedded
 * database, that SIGTERM stops it in order, and that what it had not written by then is in the journal and
 * written after a restart: every accepted value ends in the database or a backup.
 */
class GatewayIT {

    private static final Pattern STOPPED = Pattern.compile(
            "Buffer stopped: (\\d+) values accepted, \\d+ refused since the journal began; (\\d+) values not yet written");

    @TempDir
    Path workDir;

    @Test
    void theDefaultGatewayWritesSimulatedValuesStopsOnSigtermAndLosesNoneAcrossARestart() throws Exception {
        try (GatewayProcess gateway = new GatewayProcess(workDir).start()) {
            String metrics = gateway.awaitGet("/api/buffer/writer/metrics",
                    body -> !body.contains("\"writeSuccessCount\":0,"), GatewayProcess.START_TIMEOUT);
            assertThat(metrics).contains("\"writeFailureCount\":0", "\"valuesRefused\":0");
            var switchedOff = gateway.awaitConsole().postForm("/system/console/configMgr/io.tagbridge.simulator",
                    "apply=true&action=ajaxConfigManager&propertylist=enabled&enabled=false");
            assertThat(switchedOff.statusCode()).as(switchedOff.body()).isIn(200, 302);
            gateway.stop(Duration.ofSeconds(10));
            Matcher first = stopped(gateway.log());

            gateway.start();
            gateway.awaitGet("/api/buffer/writer/metrics", body -> body.contains("\"backlog\":0,"),
                    GatewayProcess.START_TIMEOUT);
            gateway.stop(Duration.ofSeconds(10));
            Matcher second = stopped(gateway.log().split("=== start 2")[1]);

            assertThat(second.group(1)).as("the simulator was off: nothing new was accepted")
                    .isEqualTo(first.group(1));
            assertThat(second.group(2)).as("the journal's backlog was written after the restart").isEqualTo("0");
            assertThat(rows() + backupRows()).isEqualTo(Long.parseLong(second.group(1)));
        }
    }

    private static Matcher stopped(String log) {
        Matcher m = STOPPED.matcher(log);
        assertThat(m.find()).as("the buffer reports what it accepted on stop:\n" + log).isTrue();
        return m;
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
        // One folder per target (backup/default/...), a file still open ends in .csv.part; replayed/ holds files
        // whose rows are in the database already. A file has a header row and "# reason" lines.
        Path replayed = dir.resolve("replayed");
        try (var files = Files.walk(dir)) {
            for (Path f : files.filter(p -> !p.startsWith(replayed))
                    .filter(p -> p.toString().endsWith(".csv") || p.toString().endsWith(".csv.part")).toList()) {
                rows += Files.readAllLines(f).stream().filter(line -> !line.startsWith("#")).count() - 1;
            }
        }
        return rows;
    }
}
