package io.tagbridge.gateway.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tagbridge.testkit.GatewayProcess;

/** The commands as the README shows them: java -jar tagbridge.jar <command>, in an empty directory. */
class CommandLineIT {

    @TempDir
    Path workDir;

    @Test
    void testConnectionPassesOnTheEmbeddedDefaultAndExitsZero() throws Exception {
        Result result = run("test-connection");

        assertThat(result.exit).as(result.stderr).isZero();
        assertThat(result.stdout).contains("PASSED: writer default can write to TAG_VALUES");
    }

    @Test
    void loadWithJsonPrintsOneJsonObjectThatAccountsForEveryValue() throws Exception {
        Result result = run("load", "--rate", "1000", "--duration", "3", "--json");

        assertThat(result.exit).as(result.stderr).isZero();
        JsonNode report = new ObjectMapper().readTree(result.stdout);
        assertThat(report.get("offered").asLong()).isEqualTo(3000);
        assertThat(report.get("written").asLong() + report.get("backedUp").asLong())
                .isEqualTo(report.get("accepted").asLong());
        assertThat(report.get("unaccounted").asLong()).isZero();
        assertThat(report.get("duplicates").asLong()).isZero();
        assertThat(result.stderr).contains("offered").contains("written");
    }

    @Test
    void replayOnTheCommandLineWritesAnEarlierVersionsBackupFilesAndSaysSo() throws Exception {
        StringBuilder firstFormat = new StringBuilder(
                "tag_name,source_time,value_type,value,quality,received_time,reason\r\n");
        for (int i = 0; i < 1000; i++) {
            firstFormat.append("replayed.tag").append(i % 10).append(",2026-01-01T00:00:00.").append(
                    String.format("%06d", i)).append("Z,double,").append(i).append(".5,192,2026-01-01T00:00:01Z,")
                    .append("the database was unavailable\r\n");
        }
        Files.createDirectories(workDir.resolve("backup"));
        Files.writeString(workDir.resolve("backup/backup_20260101_000000.csv"), firstFormat);

        Result dry = run("replay", "--dry-run");
        assertThat(dry.exit).as(dry.stderr).isZero();
        assertThat(dry.stdout).contains("would replay 1,000 values of default/backup_20260101_000000.csv")
                .contains("nothing was written");

        Result replay = run("replay");
        assertThat(replay.exit).as(replay.stdout + replay.stderr).isZero();
        assertThat(replay.stdout).contains("1,000/1,000 values").contains("every pending file is in the database");
        assertThat(workDir.resolve("backup/replayed/default/backup_20260101_000000.csv")).exists();

        Result listed = run("backups");
        assertThat(listed.stdout).contains("replayed/default/backup_20260101_000000.csv").contains("replayed");
    }

    @Test
    void encryptPrintsASealedSecretThatTheGatewayOpensFromAnEtcFile() throws Exception {
        Result sealed = run("encrypt", "Pasted-Secret-42");
        assertThat(sealed.exit).as(sealed.stderr).isZero();
        assertThat(sealed.stdout.trim()).startsWith("ENC(").endsWith(")").doesNotContain("Pasted-Secret-42");

        try (GatewayProcess gateway = new GatewayProcess(workDir)) {
            gateway.configure("io.tagbridge.security.cfg", "username=paster\npassword=" + sealed.stdout.trim() + "\n")
                    .start();
            gateway.awaitConsole("paster", "Pasted-Secret-42");
        }
    }

    @Test
    void aWrongOptionExitsTwoAndSaysWhatIsWrong() throws Exception {
        Result result = run("load", "--rate", "fast", "--duration", "3");

        assertThat(result.exit).isEqualTo(2);
        assertThat(result.stderr).contains("--rate must be a whole number").contains("Usage:");
    }

    @Test
    void aCommandNextToARunningGatewayRefusesAndSaysWhereToRunIt() throws Exception {
        try (GatewayProcess gateway = new GatewayProcess(workDir).start()) {
            gateway.awaitGet("/api/buffer/health", body -> body.contains("\"targets\":{\"default\""),
                    GatewayProcess.START_TIMEOUT);

            Result result = run("test-connection");

            assertThat(result.exit).isEqualTo(1);
            assertThat(result.stderr).contains("is in use by another Tagbridge process")
                    .contains("tagbridge:testconnection");
        }
    }

    private Result run(String... args) throws Exception {
        Path jar = Path.of("target/tagbridge.jar").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                GatewayProcess.QUICK_JIT, "-jar", jar.toString()));
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
