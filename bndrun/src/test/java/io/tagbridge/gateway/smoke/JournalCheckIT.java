package io.tagbridge.gateway.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tagbridge.testkit.GatewayProcess;

/**
 * {@code java -jar tagbridge.jar journal-check}, as an operator runs it after a power cut: on a stopped gateway's
 * data directory, next to a running gateway, and on a journal with a damaged record. It reads and changes nothing,
 * and never takes the data directory's lock.
 */
class JournalCheckIT {

    private static final String HEALTH = "/api/buffer/health";

    @TempDir
    Path workDir;

    @Test
    void onAStoppedGatewaysDataDirectoryItShowsTheSegmentsAndTheTargetExitsZeroAndChangesNothing() throws Exception {
        runAndStopAGateway();
        Map<String, String> before = snapshot(workDir.resolve("data"));

        Result text = run("journal-check");
        Result json = run("journal-check", "--json");

        assertThat(text.exit).as(text.stdout + text.stderr).isZero();
        assertThat(text.stdout).contains("Journal check of " + workDir.resolve("data/journal").toRealPath())
                .containsPattern("segment-\\d{20}\\.tbj +2 ").contains("Ledger: ledger.properties")
                .containsPattern("(?m)^  default +[\\d,]+ ").containsPattern("last stop +clean")
                .contains("The next start would").contains("OK: the journal is sound.");
        assertThat(snapshot(workDir.resolve("data"))).as("the data directory is as it was").isEqualTo(before);
        assertThat(json.exit).as(json.stderr).isZero();
        JsonNode report = new ObjectMapper().readTree(json.stdout);
        assertThat(report.get("sound").asBoolean()).isTrue();
        assertThat(report.get("inUse").asBoolean()).isFalse();
        assertThat(report.get("segments").get(0).get("values").asLong()).isPositive();
        assertThat(report.get("targets").get(0).get("name").asText()).isEqualTo("default");
    }

    @Test
    void nextToARunningGatewayItReportsTheTailInUseExitsZeroAndLeavesTheGatewayAndItsLockAlone() throws Exception {
        try (GatewayProcess gateway = new GatewayProcess(workDir).start()) {
            awaitWriting(gateway);
            Path lock = workDir.resolve("data/tagbridge.lock");
            String holder = Files.readString(lock);
            FileTime locked = Files.getLastModifiedTime(lock);

            Result result = run("journal-check");

            assertThat(result.exit).as(result.stdout + result.stderr).isZero();
            assertThat(result.stdout).contains("running: pid " + holder.strip() + " holds the data directory")
                    .contains("IN USE").contains("(in use).");
            assertThat(result.stderr).doesNotContain("is in use by another Tagbridge process");
            gateway.awaitGet(HEALTH, body -> body.contains("\"targets\":{\"default\""), Duration.ofSeconds(10));
            assertThat(Files.readString(lock)).as("the lock file names the gateway still").isEqualTo(holder);
            assertThat(Files.getLastModifiedTime(lock)).isEqualTo(locked);

            gateway.shell("tagbridge:journalcheck");
            gateway.awaitLog(Pattern.compile("OK: the journal is sound, as far as can be seen while this gateway "
                    + "writes it \\(in use\\)"));
        }
    }

    @Test
    void onAJournalWithADamagedRecordATargetStillNeedsItExitsOneAndNamesTheDamage() throws Exception {
        Damage damage = damageARecordATargetStillNeeds();
        Path segment = damage.segment();
        int damagedAt = damage.at();

        Result result = run("journal-check");

        assertThat(result.exit).as(result.stdout + result.stderr).isEqualTo(1);
        assertThat(result.stdout).contains("PROBLEM  DAMAGED_RECORDS  " + segment.getFileName() + " at byte "
                + String.format(Locale.ROOT, "%,d", damagedAt)).contains("are lost with them").contains("What to do:")
                .contains("PROBLEMS: 1 found (DAMAGED_RECORDS)");
    }

    /** Starts a gateway (the simulator writes 1,000 values/s to the embedded database), then stops it in order. */
    @Test
    void aSegmentOfAFormatThisVersionDoesNotKnowIsMovedAsideUntouchedAndHealthSaysJournalFormatUnknown()
            throws Exception {
        runAndStopAGateway();
        Path journal = workDir.resolve("data/journal");
        ByteBuffer header = ByteBuffer.allocate(1 << 20);
        header.put("TBJN".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(99).putLong(9_000_000_000L);
        Path newer = journal.resolve("segment-00000000009000000000.tbj");
        Files.write(newer, header.array());

        Result check = run("journal-check");
        assertThat(check.stdout + check.stderr).contains(newer.getFileName().toString()).contains("journal/unreadable");

        try (GatewayProcess gateway = new GatewayProcess(workDir).start()) {
            String health = gateway.await("health to name the unknown segment", () -> gateway.get(HEALTH),
                    answer -> answer.body().contains("JOURNAL_FORMAT_UNKNOWN"), GatewayProcess.START_TIMEOUT).body();
            JsonNode buffer = new ObjectMapper().readTree(health).path("components").path("buffer");
            assertThat(buffer.path("status").asText()).isEqualTo("DOWN");
            assertThat(buffer.path("advice").asText()).contains("journal/unreadable");
            assertThat(journal.resolve("unreadable").resolve(newer.getFileName())).as("moved aside, untouched")
                    .hasBinaryContent(header.array());
            assertThat(newer).doesNotExist();
        }
    }

    /** Where a record was damaged: its segment and its offset. */
    private record Damage(Path segment, int at) {
    }

    /**
     * Runs a gateway whose database is away, so that its values wait in the journal and the target needs every
     * record, stops it in order, and flips a bit in the newest segment's third record.
     */
    private Damage damageARecordATargetStillNeeds() throws Exception {
        try (GatewayProcess gateway = new GatewayProcess(workDir).configure("io.tagbridge.oracle.pool-default.cfg",
                awayPool()).start()) {
            awaitWriting(gateway);
            gateway.stop(Duration.ofSeconds(30));
        }
        Path segment;
        try (Stream<Path> files = Files.list(workDir.resolve("data/journal"))) {
            segment = files.filter(f -> f.getFileName().toString().endsWith(".tbj")).sorted()
                    .reduce((a, b) -> b).orElseThrow();
        }
        int damagedAt;
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            java.nio.MappedByteBuffer b = channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size());
            assertThat(b.getInt(record(b, 3))).as("the segment holds at least four records").isPositive();
            damagedAt = record(b, 2);
            b.put(damagedAt + 40, (byte) (b.get(damagedAt + 40) ^ 0x10));
            b.force();
        }
        return new Damage(segment, damagedAt);
    }

    private static String awayPool() throws java.io.IOException {
        int nothingListens;
        try (ServerSocket probe = new ServerSocket(0)) {
            nothingListens = probe.getLocalPort();
        }
        return "name=default\nurl=jdbc:h2:tcp://127.0.0.1:" + nothingListens + "/./away\nusername=sa\npassword=\n"
                + "connectTimeoutSeconds=1\n";
    }

    @Test
    void aDamagedRecordATargetStillNeedsIsSkippedAtStartCountedAsDroppedAndShownAsJournalDamaged() throws Exception {
        damageARecordATargetStillNeeds();

        try (GatewayProcess gateway = new GatewayProcess(workDir).configure("io.tagbridge.oracle.pool-default.cfg",
                awayPool()).start()) {
            String health = gateway.await("health to report the damage", () -> gateway.get(HEALTH),
                    answer -> answer.body().contains("JOURNAL_DAMAGED"), GatewayProcess.START_TIMEOUT).body();
            JsonNode buffer = new ObjectMapper().readTree(health).path("components").path("buffer");
            assertThat(buffer.path("reason").asText()).isEqualTo("JOURNAL_DAMAGED");
            assertThat(buffer.path("status").asText()).isEqualTo("DEGRADED");
            assertThat(buffer.path("details").path("damagedBytes").asLong()).isPositive();
            // The damaged record's values are lost: counted, for the target that needed them, once it reads past.
            String metrics = gateway.awaitGet("/api/buffer/writer/metrics", body -> {
                try {
                    return new ObjectMapper().readTree(body).path("dropped").path("JOURNAL_DAMAGED").asLong() > 0;
                } catch (java.io.IOException e) {
                    return false;
                }
            }, Duration.ofSeconds(60));
            assertThat(metrics).contains("\"JOURNAL_DAMAGED\"");
        }
    }

    private void runAndStopAGateway() throws Exception {
        try (GatewayProcess gateway = new GatewayProcess(workDir).start()) {
            awaitWriting(gateway);
            gateway.stop(Duration.ofSeconds(30));
        }
    }

    private static void awaitWriting(GatewayProcess gateway) throws Exception {
        gateway.awaitGet(HEALTH, body -> body.contains("\"targets\":{\"default\""), GatewayProcess.START_TIMEOUT);
        // the simulator's values in the journal: a journal with something to check
        gateway.awaitGet("/api/buffer/writer/metrics", body -> {
            java.util.regex.Matcher accepted = java.util.regex.Pattern.compile("\"valuesAccepted\":(\\d+)")
                    .matcher(body);
            return accepted.find() && Long.parseLong(accepted.group(1)) >= 1_000;
        }, GatewayProcess.START_TIMEOUT);
    }

    /** Where the n-th record of a segment starts (see the buffer's SegmentFormat). */
    private static int record(ByteBuffer b, int n) {
        int at = 64;
        for (int i = 0; i < n; i++) {
            at = (at + 8 + b.getInt(at) + 7) & ~7;
        }
        return at;
    }

    /** Every file under a directory: its size, modification time and a checksum of its bytes. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                String state = Files.isDirectory(p) ? "dir"
                        : Files.size(p) + " " + Files.getLastModifiedTime(p) + " " + crc(p);
                files.put(root.relativize(p).toString(), state);
            }
        }
        return files;
    }

    private static long crc(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        crc.update(Files.readAllBytes(file));
        return crc.getValue();
    }

    private Result run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                GatewayProcess.QUICK_JIT, "-jar", GatewayProcess.jar().toString()));
        command.addAll(List.of(args));
        Path out = workDir.resolve("stdout.txt");
        Path err = workDir.resolve("stderr.txt");
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the command did not end within 120 s:\n" + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private record Result(int exit, String stdout, String stderr) {
    }
}
