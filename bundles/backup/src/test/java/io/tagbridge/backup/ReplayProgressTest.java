package io.tagbridge.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayProgressTest {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("backup_20261129_101500.csv");
    }

    private Path sidecar() {
        return BackupNames.sidecar(file(), BackupNames.PROGRESS);
    }

    @Test
    void theLastCountWrittenIsReadAfterARestart() throws Exception {
        ReplayProgress.write(file(), 500);
        ReplayProgress.write(file(), 1000);

        assertThat(ReplayProgress.read(file())).isEqualTo(1000);
    }

    @Test
    void aLineTornByACutReadsAsTheCountBeforeItAndTheNextCountIsReadAgain() throws Exception {
        ReplayProgress.write(file(), 1000);
        Files.writeString(sidecar(), "9999", StandardOpenOption.APPEND);

        assertThat(ReplayProgress.read(file())).isEqualTo(1000);

        ReplayProgress.write(file(), 1500);

        assertThat(ReplayProgress.read(file())).isEqualTo(1500);
    }

    @Test
    void aCountWhoseChecksumDoesNotFitIsNotBelieved() throws Exception {
        ReplayProgress.write(file(), 1000);
        String written = Files.readString(sidecar());
        Files.writeString(sidecar(), written + written.replace("1000", "9000"));

        assertThat(ReplayProgress.read(file())).isEqualTo(1000);
    }

    @Test
    void anEmptyNulFilledGarbledOrMissingSidecarReadsAsZero() throws Exception {
        assertThat(ReplayProgress.read(file())).as("missing").isZero();
        Files.write(sidecar(), new byte[0]);
        assertThat(ReplayProgress.read(file())).as("empty").isZero();
        Files.write(sidecar(), new byte[64]);
        assertThat(ReplayProgress.read(file())).as("NUL bytes").isZero();
        Files.write(sidecar(), new byte[] { (byte) 0xff, (byte) 0xfe, '\n', '1', '2', '\n' });
        assertThat(ReplayProgress.read(file())).as("garbled").isZero();
    }

    @Test
    void aCountWrittenByGateway020AloneOnItsLineIsRead() throws Exception {
        Files.writeString(sidecar(), "1500", StandardCharsets.US_ASCII);

        assertThat(ReplayProgress.read(file())).isEqualTo(1500);

        ReplayProgress.write(file(), 2000);

        assertThat(ReplayProgress.read(file())).isEqualTo(2000);
    }

    @Test
    void theSidecarStaysSmallOverALongReplay() throws Exception {
        for (long rows = 500; rows <= 500 * 1000; rows += 500) {
            ReplayProgress.write(file(), rows);
        }

        assertThat(ReplayProgress.read(file())).isEqualTo(500_000);
        assertThat(Files.size(sidecar())).isLessThan(ReplayProgress.COMPACT_BYTES + 64);
    }
}
