package io.tagbridge.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.BackupFile;
import io.tagbridge.api.pipeline.BackupRow;
import io.tagbridge.api.pipeline.BackupState;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.ReplayChunk;
import io.tagbridge.testkit.ConfigDefaults;
import io.tagbridge.testkit.MovableClock;

class BackupFolderTest {

    private static final long MB = 1024 * 1024;

    /** The form's defaults (see ConfigDefaults), for what a test here does not set itself. */
    private static final Duration ROLL = Duration.ofMinutes(ConfigDefaults.<Integer>of(BackupConfig.class,
            "rollMinutes"));
    private static final long ROLL_BYTES = ConfigDefaults.<Integer>of(BackupConfig.class, "rollMegabytes") * MB;
    private static final Duration KEEP_REPLAYED = Duration.ofDays(ConfigDefaults.<Integer>of(BackupConfig.class,
            "keepReplayedDays"));
    private static final long MAX_BYTES = ConfigDefaults.<Integer>of(BackupConfig.class, "maxMegabytes") * MB;

    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock(Instant.parse("2026-03-01T10:15:30Z"));

    private BackupSettings settings(boolean automatic, long maxBytes, Duration keepReplayed) {
        return new BackupSettings(dir, automatic, ROLL, ROLL_BYTES, keepReplayed, maxBytes, 0);
    }

    private BackupFolder folder() throws Exception {
        return new BackupFolder(settings(true, MAX_BYTES, KEEP_REPLAYED), clock);
    }

    static List<ReceivedValue> values(String tagPrefix, int from, int to) {
        Instant base = Instant.parse("2026-03-01T10:00:00Z");
        return IntStream.range(from, to).mapToObj(i -> new ReceivedValue(
                TagValue.of(tagPrefix + (i % 10), base.plusNanos(i * 1000L), (double) i, Quality.GOOD),
                ReceivedValue.micros(base) + i)).toList();
    }

    private static List<Path> filesIn(Path folder) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().startsWith("backup_")).sorted().toList();
        }
    }

    /** Replays everything pending for the target, reporting each chunk, and returns the values in order. */
    private static List<ReceivedValue> replayAll(BackupFolder folder, String target, int chunk) throws Exception {
        List<ReceivedValue> replayed = new ArrayList<>();
        for (var next = folder.nextReplay(target, chunk); next.isPresent(); next = folder.nextReplay(target, chunk)) {
            replayed.addAll(next.get().values());
            folder.replayed(next.get());
        }
        return replayed;
    }

    @Test
    void savesOfATargetGoToOneOpenFileUntilItRollsByTime() throws Exception {
        BackupFolder folder = folder();
        Path first = folder.save("line1", values("t", 0, 10), "outage");
        assertThat(folder.save("line1", values("t", 10, 20), "outage")).isEqualTo(first);
        assertThat(first.getFileName().toString()).isEqualTo("backup_20260301_101530.csv.part");
        assertThat(first.getParent().getFileName().toString()).isEqualTo("line1");

        clock.advance(Duration.ofSeconds(61));
        Path second = folder.save("line1", values("t", 20, 30), "outage");

        assertThat(second).isNotEqualTo(first);
        assertThat(filesIn(dir.resolve("line1"))).extracting(p -> p.getFileName().toString())
                .containsExactly("backup_20260301_101530.csv", "backup_20260301_101631.csv.part");
        assertThat(folder.read(dir.resolve("line1/backup_20260301_101530.csv"))).isEqualTo(values("t", 0, 20));
    }

    @Test
    void anHourOfOutageMakesAtMostSixtyFilesOfUnderAHundredBytesPerValueWithTagsOfTwentyCharacters()
            throws Exception {
        BackupFolder folder = folder();
        String tag = "plant1.line01.temp.";
        assertThat(tag.length() + 1).isEqualTo(20);
        for (int second = 0; second < 3600; second += 1) {
            folder.save("default", values(tag, second * 2, second * 2 + 2), "the database is unavailable");
            clock.advance(Duration.ofSeconds(1));
        }
        folder.maintain();

        List<Path> files = filesIn(dir.resolve("default"));
        long bytes = 0;
        for (Path f : files) {
            bytes += Files.size(f);
        }
        assertThat(files).as("one file a minute at most").hasSizeLessThanOrEqualTo(60);
        assertThat(bytes / 7200.0).as("bytes per value").isLessThan(100);
    }

    @Test
    void replayHandsOutChunksInOrderAndMovesAFinishedFileToReplayed() throws Exception {
        BackupFolder folder = folder();
        folder.save("line1", values("t", 0, 1200), "outage");
        folder.folder("line1").rollIfDue(folder.settings, true);

        assertThat(replayAll(folder, "line1", 500)).isEqualTo(values("t", 0, 1200));

        assertThat(filesIn(dir.resolve("line1"))).isEmpty();
        assertThat(folder.files()).singleElement().satisfies(f -> {
            assertThat(f.state()).isEqualTo(BackupState.REPLAYED);
            assertThat(f.id()).isEqualTo("replayed/line1/backup_20260301_101530.csv");
            assertThat(f.rows()).isEqualTo(1200);
        });
    }

    @Test
    void aChunkNeverReportedReplayedComesAgain() throws Exception {
        BackupFolder folder = folder();
        folder.save("line1", values("t", 0, 100), "outage");
        folder.folder("line1").rollIfDue(folder.settings, true);

        ReplayChunk first = folder.nextReplay("line1", 40).orElseThrow();
        ReplayChunk again = folder.nextReplay("line1", 40).orElseThrow();

        assertThat(again.first()).isZero();
        assertThat(again.values()).isEqualTo(first.values());
    }

    @Test
    void aRestartResumesReplayAfterTheRowsReportedReplayed() throws Exception {
        BackupFolder before = folder();
        before.save("line1", values("t", 0, 100), "outage");
        before.folder("line1").rollIfDue(before.settings, true);
        before.replayed(before.nextReplay("line1", 30).orElseThrow());
        before.close();

        BackupFolder after = folder();
        ReplayChunk next = after.nextReplay("line1", 1000).orElseThrow();

        assertThat(next.first()).isEqualTo(30);
        assertThat(next.values()).isEqualTo(values("t", 30, 100));
        assertThat(after.files()).singleElement().extracting(BackupFile::state).isEqualTo(BackupState.REPLAYING);
    }

    @Test
    void aFileACrashLeftOpenIsClosedUpToItsLastWholeLine() throws Exception {
        Path line1 = Files.createDirectories(dir.resolve("line1"));
        StringBuilder csv = new StringBuilder();
        CsvBackupFormat.write(csv, values("t", 0, 3), "outage");
        Path part = line1.resolve("backup_20260301_090000.csv.part");
        Files.writeString(part, csv + "t3,2026-03-01T10:00:00.000003Z,d,3.");

        BackupFolder folder = folder();

        assertThat(Files.exists(part)).isFalse();
        assertThat(folder.read(line1.resolve("backup_20260301_090000.csv"))).isEqualTo(values("t", 0, 3));
    }

    @Test
    void filesOfTheFirstLayoutBelongToTheWriterNamedDefaultAndReplay() throws Exception {
        String firstFormat = "tag_name,source_time,value_type,value,quality,received_time,reason\r\n"
                + "a,2026-03-01T10:00:00Z,double,1.5,192,2026-03-01T10:00:00.000001Z,outage\r\n";
        Files.writeString(dir.resolve("backup_20260101_000000.csv"), firstFormat);

        BackupFolder folder = folder();
        ReplayChunk chunk = folder.nextReplay("default", 500).orElseThrow();

        assertThat(chunk.file()).isEqualTo("default/backup_20260101_000000.csv");
        assertThat(chunk.values()).singleElement().satisfies(v -> assertThat(v.value().value()).isEqualTo(1.5));
    }

    @Test
    void rowsRefusedAgainGoToQuarantineWithTheErrorAndGoBackToPendingOnRequest() throws Exception {
        BackupFolder folder = folder();
        folder.save("line1", values("t", 0, 10), "outage");
        folder.folder("line1").rollIfDue(folder.settings, true);
        ReplayChunk chunk = folder.nextReplay("line1", 500).orElseThrow();

        folder.quarantine(chunk, chunk.values().subList(3, 4), "ORA-12899: value too large for column");
        folder.replayed(chunk);
        assertThat(folder.nextReplay("line1", 500)).isEmpty();

        BackupFile quarantined = folder.files().stream().filter(f -> f.state() == BackupState.QUARANTINED)
                .findFirst().orElseThrow();
        assertThat(quarantined.id()).isEqualTo("quarantine/line1/backup_20260301_101530.csv");
        assertThat(quarantined.rows()).isEqualTo(1);
        assertThat(quarantined.lastError()).contains("ORA-12899");
        assertThat(folder.status().diagnosis().reason()).isEqualTo("QUARANTINED");

        assertThat(folder.replay(quarantined.id())).isEqualTo(1);
        assertThat(folder.nextReplay("line1", 500).orElseThrow().values()).isEqualTo(values("t", 3, 4));
    }

    @Test
    void aQuarantinedFileReadsBackPageByPageWithTheDatabasesErrorOnEachRowAndOpensAsWritten() throws Exception {
        BackupFolder folder = folder();
        folder.save("line1", values("t", 0, 10), "outage");
        folder.folder("line1").rollIfDue(folder.settings, true);
        ReplayChunk chunk = folder.nextReplay("line1", 500).orElseThrow();
        folder.quarantine(chunk, chunk.values().subList(2, 5), "ORA-12899: value too large for column");
        folder.quarantine(chunk, chunk.values().subList(7, 8), "ORA-01400: cannot insert NULL");
        folder.replayed(chunk);
        String id = "quarantine/line1/backup_20260301_101530.csv";

        List<BackupRow> page = new ArrayList<>();
        assertThat(folder.rows(id, 1, 2, page::add)).isEqualTo(2);
        assertThat(page).extracting(BackupRow::index).containsExactly(1L, 2L);
        assertThat(page).extracting(BackupRow::value).containsExactlyElementsOf(values("t", 3, 5));
        assertThat(page).extracting(BackupRow::reason).containsOnly("ORA-12899: value too large for column");
        List<BackupRow> last = new ArrayList<>();
        assertThat(folder.rows(id, 3, 100, last::add)).isEqualTo(1);
        assertThat(last).singleElement().satisfies(r -> assertThat(r.reason()).startsWith("ORA-01400"));

        try (var in = folder.open(id)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo(Files.readString(dir.resolve(id)))
                    .startsWith(String.join(",", CsvBackupFormat.HEADER)).contains("# reason: ORA-12899");
        }
        assertThatThrownBy(() -> folder.rows("line1/nothing.csv", 0, 1, r -> { }))
                .isInstanceOf(UnknownFileException.class).hasMessageContaining("GET /api/buffer/backups");
    }

    @Test
    void aFileThatCannotBeReadHandsOverTheRowsBeforeTheBadLineAndNamesIt() throws Exception {
        Path line1 = Files.createDirectories(dir.resolve("line1"));
        StringBuilder good = new StringBuilder();
        CsvBackupFormat.write(good, values("t", 0, 2), "outage");
        Files.writeString(line1.resolve("backup_20260301_080000.csv"), good + "t9,yesterday,d,1.0,192,now\n");
        BackupFolder folder = folder();

        List<BackupRow> rows = new ArrayList<>();
        assertThatThrownBy(() -> folder.rows("line1/backup_20260301_080000.csv", 0, 10, rows::add))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 5");
        assertThat(rows).extracting(BackupRow::value).containsExactlyElementsOf(values("t", 0, 2));
    }

    @Test
    void aFileThatCannotBeReadGoesToQuarantineWithTheLineAndTheOthersProceed() throws Exception {
        Path line1 = Files.createDirectories(dir.resolve("line1"));
        StringBuilder good = new StringBuilder();
        CsvBackupFormat.write(good, values("t", 0, 2), "outage");
        Files.writeString(line1.resolve("backup_20260301_080000.csv"), good + "t9,yesterday,d,1.0,192,now\n");
        Files.writeString(line1.resolve("backup_20260301_090000.csv"), good.toString());

        BackupFolder folder = folder();
        ReplayChunk chunk = folder.nextReplay("line1", 500).orElseThrow();

        assertThat(chunk.file()).isEqualTo("line1/backup_20260301_090000.csv");
        assertThat(folder.files()).filteredOn(f -> f.state() == BackupState.QUARANTINED).singleElement()
                .satisfies(f -> assertThat(f.lastError()).contains("line").contains("yesterday"));
    }

    @Test
    void aFolderAtItsMaximumRefusesNewBackupsAndSaysWhatToDo() throws Exception {
        BackupFolder folder = new BackupFolder(settings(true, 200_000, KEEP_REPLAYED), clock);
        folder.save("line1", values("t", 0, 500), "outage");

        assertThatThrownBy(() -> folder.save("line1", values("t", 500, 1500), "outage"))
                .isInstanceOf(FolderFullException.class).hasMessageContaining("maxMegabytes");
        assertThat(folder.status().diagnosis().reason()).isEqualTo("BACKUP_FULL");
    }

    @Test
    void replayedFilesAreDeletedFirstToMakeRoom() throws Exception {
        BackupFolder folder = new BackupFolder(settings(true, 250_000, KEEP_REPLAYED), clock);
        folder.save("line1", values("t", 0, 1000), "outage");
        folder.folder("line1").rollIfDue(folder.settings, true);
        replayAll(folder, "line1", 500);
        assertThat(folder.files()).extracting(BackupFile::state).containsExactly(BackupState.REPLAYED);

        folder.save("line1", values("t", 1000, 2000), "outage");

        assertThat(folder.files()).extracting(BackupFile::state).containsExactly(BackupState.PENDING);
    }

    @Test
    void withKeepReplayedDaysZeroAReplayedFileIsDeleted() throws Exception {
        BackupFolder folder = new BackupFolder(settings(true, MAX_BYTES, Duration.ZERO), clock);
        folder.save("line1", values("t", 0, 10), "outage");
        folder.folder("line1").rollIfDue(folder.settings, true);
        replayAll(folder, "line1", 500);

        assertThat(folder.files()).isEmpty();
    }

    @Test
    void withAutomaticReplayOffOnlyRequestedFilesReplay() throws Exception {
        BackupFolder folder = new BackupFolder(settings(false, MAX_BYTES, KEEP_REPLAYED), clock);
        folder.save("line1", values("t", 0, 10), "outage");
        folder.folder("line1").rollIfDue(folder.settings, true);
        assertThat(folder.nextReplay("line1", 500)).isEmpty();

        assertThat(folder.replay(null)).isEqualTo(1);

        assertThat(folder.nextReplay("line1", 500)).isPresent();
    }

    @Test
    void anIdleOpenFileIsClosedWhenItsTargetWantsToReplay() throws Exception {
        BackupFolder folder = folder();
        folder.save("line1", values("t", 0, 10), "bad rows");
        assertThat(folder.nextReplay("line1", 500)).as("just written: it may still grow").isEmpty();

        clock.advance(TargetFolder.IDLE_BEFORE_REPLAY.minusMillis(1));
        assertThat(folder.nextReplay("line1", 500)).as("not idle long enough yet").isEmpty();
        clock.advance(Duration.ofMillis(1));

        assertThat(folder.nextReplay("line1", 500).orElseThrow().values()).isEqualTo(values("t", 0, 10));
    }

    @Test
    void deleteRemovesAFileAndSaysHowManyValuesWentWithIt() throws Exception {
        BackupFolder folder = folder();
        folder.save("line1", values("t", 0, 10), "outage");
        folder.folder("line1").rollIfDue(folder.settings, true);

        assertThat(folder.delete("line1/backup_20260301_101530.csv")).isEqualTo(10);

        assertThat(folder.files()).isEmpty();
        assertThatThrownBy(() -> folder.delete("line1/backup_20260301_101530.csv"))
                .isInstanceOf(UnknownFileException.class).hasMessageContaining("GET /api/buffer/backups");
        assertThatThrownBy(() -> folder.delete("../../etc/passwd")).isInstanceOf(UnknownFileException.class);
    }

    @Test
    void filesWhoseNewestRowIsOlderThanTheCutoffExpireWithTheRowsNotYetReplayedGoingToAnArchive() throws Exception {
        BackupFolder folder = folder();
        folder.save("line1", values("t", 0, 10), "outage");
        folder.folder("line1").rollIfDue(folder.settings, true);
        ReplayChunk chunk = folder.nextReplay("line1", 4).orElseThrow();
        folder.replayed(chunk);
        clock.advance(Duration.ofHours(3));
        Instant later = Instant.parse("2026-03-01T13:00:00Z");
        List<ReceivedValue> young = List.of(new ReceivedValue(TagValue.of("t0", later, 1.0, Quality.GOOD),
                ReceivedValue.micros(later)));
        folder.save("line1", young, "outage");
        folder.folder("line1").rollIfDue(folder.settings, true);

        assertThat(folder.expire("line1", Instant.parse("2026-03-01T11:00:00Z"), true)).isEqualTo(6);

        assertThat(folder.files()).singleElement().satisfies(f -> assertThat(f.rows()).isEqualTo(1));
        List<Path> archives;
        try (Stream<Path> all = Files.walk(dir.resolve("archive"))) {
            archives = all.filter(f -> f.toString().endsWith(".csv.gz")).toList();
        }
        assertThat(archives).singleElement().satisfies(f -> assertThat(dir.relativize(f).toString())
                .startsWith("archive/line1/archive_"));
        try (var in = new java.io.InputStreamReader(new java.util.zip.GZIPInputStream(
                Files.newInputStream(archives.get(0))), StandardCharsets.UTF_8)) {
            assertThat(CsvBackupFormat.readRows(in)).allSatisfy(r -> assertThat(r.reason()).contains("maxAgeHours"))
                    .extracting(CsvBackupFormat.Row::value).containsExactlyElementsOf(values("t", 4, 10));
        }
        assertThat(folder.status().expiredValues()).isEqualTo(6);
        assertThat(folder.status().archivedFiles()).isEqualTo(1);
        assertThat(folder.expire("line1", Instant.parse("2026-03-01T11:00:00Z"), false)).as("the young file stays")
                .isZero();
    }

    @Test
    void aFileWhoseChunkAWriterHoldsDoesNotExpireUntilTheChunkIsReportedAndThenOnlyItsRestDoes() throws Exception {
        BackupFolder folder = folder();
        folder.save("line1", values("t", 0, 10), "outage");
        folder.folder("line1").rollIfDue(folder.settings, true);
        ReplayChunk chunk = folder.nextReplay("line1", 4).orElseThrow();
        Instant cutoff = Instant.parse("2026-03-01T11:00:00Z");

        assertThat(folder.expire("line1", cutoff, false)).as("a chunk of it is on its way to the database").isZero();
        folder.replayed(chunk);

        assertThat(folder.expire("line1", cutoff, false)).as("the six not replayed").isEqualTo(6);
        assertThat(folder.files()).isEmpty();
        try (Stream<Path> left = Files.list(dir.resolve("line1"))) {
            assertThat(left).as("no progress file left beside nothing").isEmpty();
        }
    }

    @Test
    void aTargetNamedArchiveKeepsItsFilesFromBeforeArchivesUsedThatFolder() throws Exception {
        Path old = Files.createDirectories(dir.resolve("archive"));
        StringBuilder rows = new StringBuilder();
        CsvBackupFormat.write(rows, values("t", 0, 3), "outage");
        Files.writeString(old.resolve("backup_20260301_080000.csv"), rows.toString());

        BackupFolder folder = folder();

        assertThat(folder.files()).singleElement().satisfies(f -> {
            assertThat(f.target()).isEqualTo("archive");
            assertThat(f.rows()).isEqualTo(3);
        });
        assertThat(replayAll(folder, "archive", 500)).isEqualTo(values("t", 0, 3));
    }

    @Test
    void targetNamesThatAreNoFolderNamesAreEncodedAndDecoded() throws Exception {
        BackupFolder folder = folder();
        folder.save("a/b", values("t", 0, 1), "outage");
        folder.save("replayed", values("t", 0, 1), "outage");

        assertThat(folder.files()).extracting(BackupFile::target).containsExactlyInAnyOrder("a/b", "replayed");
        assertThat(BackupFolder.encode("a/b")).isEqualTo("a%2Fb");
        assertThat(BackupFolder.encode("replayed")).isEqualTo("%72eplayed");
        assertThat(BackupFolder.decode(BackupFolder.encode("replayed"))).isEqualTo("replayed");
    }
}
