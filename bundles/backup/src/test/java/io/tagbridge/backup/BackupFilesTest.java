package io.tagbridge.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.BackupException;

class BackupFilesTest {

    private static final Clock FIXED = Clock.fixed(Instant.parse("2026-03-01T10:15:30Z"), ZoneOffset.UTC);
    private static final List<ReceivedValue> BATCH = List.of(new ReceivedValue(
            TagValue.of("a", Instant.parse("2026-03-01T10:15:29Z"), 1.5, Quality.GOOD), 1_772_360_129_500_000L));

    @TempDir
    Path dir;

    @Test
    void fileIsNamedAfterTheUtcSecondAndHoldsTheBatch() throws Exception {
        Path file = new BackupFiles(dir, FIXED).write(BATCH, "r");

        assertThat(file.getFileName().toString()).isEqualTo("backup_20260301_101530.csv");
        try (Reader in = Files.newBufferedReader(file)) {
            assertThat(CsvBackupFormat.read(in)).isEqualTo(BATCH);
        }
    }

    @Test
    void twoBatchesInTheSameSecondGetTwoFiles() throws Exception {
        BackupFiles files = new BackupFiles(dir, FIXED);

        Path first = files.write(BATCH, "r");
        Path second = files.write(BATCH, "r");
        Path third = files.write(BATCH, "r");

        assertThat(List.of(first, second, third)).doesNotHaveDuplicates();
        assertThat(second.getFileName().toString()).isEqualTo("backup_20260301_101530_2.csv");
        assertThat(third.getFileName().toString()).isEqualTo("backup_20260301_101530_3.csv");
    }

    @Test
    void listingGivesCompleteFilesOldestFirstAndSkipsTemporaryAndForeignFiles() throws Exception {
        BackupFiles files = new BackupFiles(dir, FIXED);
        List<Path> written = new java.util.ArrayList<>();
        for (int i = 0; i < 11; i++) {
            written.add(files.write(BATCH, "r"));
        }
        Path earlier = new BackupFiles(dir, Clock.offset(FIXED, java.time.Duration.ofSeconds(-1))).write(BATCH, "r");
        Files.writeString(dir.resolve(".backup_20260301_101531.csv.tmp"), "partial");
        Files.writeString(dir.resolve("notes.txt"), "operator's notes");

        List<Path> listed = files.list();

        assertThat(listed.get(0)).isEqualTo(earlier);
        assertThat(listed.subList(1, listed.size())).isEqualTo(written);
    }

    @Test
    void aListedFileReadsBackAsTheBatchThatWasSaved() throws Exception {
        BackupFiles files = new BackupFiles(dir, FIXED);
        files.write(BATCH, "r");

        assertThat(BackupFiles.read(files.list().get(0))).isEqualTo(BATCH);
    }

    @Test
    void noTemporaryFileIsLeftBehind() throws Exception {
        new BackupFiles(dir, FIXED).write(BATCH, "r");
        try (Stream<Path> listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("backup_20260301_101530.csv");
        }
    }

    @Test
    void anUnwritableDirectoryGivesAnErrorThatSaysWhatToDo() throws Exception {
        Path notADirectory = Files.createFile(dir.resolve("occupied"));
        CsvBackupComponent component = new CsvBackupComponent(new BackupConfig() {
            public Class<? extends java.lang.annotation.Annotation> annotationType() { return BackupConfig.class; }
            public String directory() { return notADirectory.toString(); }
        });

        assertThatThrownBy(() -> component.save("default", BATCH, "r"))
                .isInstanceOf(BackupException.class)
                .hasMessageContaining(notADirectory.toString())
                .hasMessageContaining("free space");
    }
}
