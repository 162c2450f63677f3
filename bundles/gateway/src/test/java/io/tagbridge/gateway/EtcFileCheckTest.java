package io.tagbridge.gateway;

import static io.tagbridge.gateway.Configurations.admin;
import static io.tagbridge.gateway.Configurations.configuration;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tagbridge.api.monitor.ComponentHealth;
import io.tagbridge.api.monitor.HealthStatus;

class EtcFileCheckTest {

    private static final String POOL = "io.tagbridge.oracle.pool-default.cfg";
    private static final Instant START = Instant.parse("2026-11-29T10:15:00Z");

    @TempDir
    Path work;

    private final MutableClock clock = new MutableClock();

    private Path etc(String name) {
        return work.resolve("etc").resolve(name);
    }

    private EtcFileCheck check(org.osgi.service.cm.Configuration... stored) {
        return new EtcFileCheck(work.resolve("etc"), work.resolve("data"), admin(stored), clock);
    }

    @Test
    void anEmptyPoolFileIsWrittenAgainFromWhatTheStoreLastAppliedFromItWithItsSecretStillSealed() throws Exception {
        Files.createDirectories(etc(POOL).getParent());
        Files.write(etc(POOL), new byte[0]);
        String url = "jdbc:h2:tcp://127.0.0.1:9092/plant";

        EtcFileCheck check = check(configuration("io.tagbridge.oracle.pool~default", Map.of("name", "default", "url",
                url, "password", "ENC(c2VhbGVk)", "felix.fileinstall.filename", etc(POOL).toUri().toString())));

        List<String> lines = Files.readAllLines(etc(POOL));
        assertThat(lines).contains("name=default", "url=" + url, "password=ENC(c2VhbGVk)")
                .noneMatch(line -> line.startsWith("felix.fileinstall") || line.startsWith("service."));
        assertThat(copies()).singleElement().satisfies(copy -> assertThat(copy).startsWith(POOL + "."));
        assertThat(check.isSetAside(etc(POOL))).isFalse();
        ComponentHealth verdict = check.check();
        assertThat(verdict.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(verdict.reason()).isEqualTo(EtcFileCheck.DAMAGED);
        assertThat(verdict.advice()).contains(etc(POOL).toString()).contains("empty: 0 bytes")
                .contains("written again from the configuration store").contains(DamagedEtcFiles.FOLDER);

        clock.now = START.plus(EtcFileCheck.RESTORED_WARNING);

        assertThat(check.check().reason()).as("5 minutes after the start").isEqualTo(EtcFileCheck.OK);
    }

    @Test
    void aFileSavedInTheConsoleSinceIsWrittenAgainFromThatSaveThoughFileInstallsNoteIsGone() throws Exception {
        Files.createDirectories(etc(POOL).getParent());
        Files.write(etc(POOL), new byte[] { 0, 0, 0, 0, 0, 0, 0, 0 });

        check(configuration("io.tagbridge.oracle.pool~default", Map.of("name", "default", "poolMax", 8)));

        assertThat(Files.readAllLines(etc(POOL))).contains("name=default", "poolMax=8");
    }

    @Test
    void aDamagedFileWithNothingStoredFromItIsSetAsideAndHealthIsDownUntilAGoodOneIsBack() throws Exception {
        Files.createDirectories(etc(POOL).getParent());
        Files.write(etc(POOL), new byte[0]);

        EtcFileCheck check = check(configuration("io.tagbridge.oracle.pool~default", Map.of("name", "default")));

        assertThat(etc(POOL)).as("out of FileInstall's sight").doesNotExist();
        assertThat(copies()).singleElement().satisfies(copy -> assertThat(copy).startsWith(POOL + "."));
        assertThat(check.isSetAside(etc(POOL))).as("no built-in default for it").isTrue();
        ComponentHealth verdict = check.check();
        assertThat(verdict.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(verdict.reason()).isEqualTo(EtcFileCheck.DAMAGED);
        assertThat(verdict.advice()).contains(etc(POOL).toString()).contains("no built-in default")
                .contains("Put the file back");

        Files.writeString(etc(POOL), "name=default\nurl=jdbc:h2:tcp://127.0.0.1:9092/plant\n");

        assertThat(check.isSetAside(etc(POOL))).isFalse();
        assertThat(check.check().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void readableFilesAreLeftAsTheyAreAndHealthIsOk() throws Exception {
        Files.createDirectories(etc(POOL).getParent());
        Files.writeString(etc(POOL), "# the plant\nname=default\n");

        EtcFileCheck check = check();

        assertThat(etc(POOL)).hasContent("# the plant\nname=default");
        assertThat(work.resolve("data").resolve(DamagedEtcFiles.FOLDER)).doesNotExist();
        assertThat(check.check().reason()).isEqualTo(EtcFileCheck.OK);
    }

    private List<String> copies() throws Exception {
        try (Stream<Path> files = Files.list(work.resolve("data").resolve(DamagedEtcFiles.FOLDER))) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    private static final class MutableClock extends Clock {

        Instant now = START;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
