package io.tagbridge.karaf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The feature "tagbridge" on a stock Apache Karaf 4.4.8, installed at boot through featuresBoot. */
class KarafFeatureIT {

    private static final Pattern WRITTEN = Pattern.compile("\"valuesWritten\":(\\d+)");

    @TempDir
    Path workDir;

    @Test
    void theFeatureWritesTheSimulatorsValuesIntoTheEmbeddedDatabaseAndUninstallingItKeepsTheData() throws Exception {
        try (KarafDistribution karaf = new KarafDistribution(workDir.resolve("karaf")).start()) {
            karaf.awaitGet("/api/buffer/writer/metrics", body -> written(body) > 1000, Duration.ofMinutes(3));
            assertThat(karaf.awaitGet("/api/buffer/health", body -> true, Duration.ofSeconds(30)))
                    .contains("\"status\":\"UP\"");
            assertThat(karaf.home.resolve("etc/io.tagbridge.writer-default.cfg")).as("the feature's configuration in etc")
                    .exists();
            Path data = karaf.data();
            assertThat(data.resolve("tagbridge.mv.db")).as("the embedded database in karaf.data").exists();
            assertThat(data.resolve("journal")).isDirectory();
            assertThat(data.resolve("initial-admin-password")).as("the generated login").exists();
            String password = Files.readString(data.resolve("initial-admin-password")).trim();
            assertThat(karaf.status("/system/console/bundles", "admin", "admin"))
                    .as("the web console's own admin/admin").isEqualTo(401);
            assertThat(karaf.status("/system/console/bundles", "admin", password))
                    .as("the web console through Tagbridge's login").isEqualTo(200);

            karaf.client("feature:uninstall tagbridge");

            assertThat(karaf.serving("/api/buffer/health")).as("the REST endpoints are gone with the feature").isFalse();
            assertThat(data.resolve("tagbridge.mv.db")).as("uninstalling keeps the database").exists();
            assertThat(data.resolve("journal")).as("uninstalling keeps the journal").isDirectory();
            assertThat(Files.size(data.resolve("tagbridge.mv.db"))).isPositive();
        }
    }

    private static long written(String metrics) {
        Matcher matcher = WRITTEN.matcher(metrics);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }
}
