package io.tagbridge.buffer.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.ReceivedValue;

class JournalTest {

    private static final int SEGMENT = 64 * 1024;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private final List<String> damage = new ArrayList<>();
    private final List<String> unreadable = new ArrayList<>();
    private final JournalEvents events = new JournalEvents() {
        @Override
        public void damaged(Segment segment, int offset, long bytes, long values, String what,
                boolean afterLastSync) {
            damage.add(segment + "@" + offset + ": " + bytes + " bytes, " + values + " values, " + what
                    + (afterLastSync ? ", after the last sync" : ", before the last sync"));
        }

        @Override
        public void unreadable(String file, String why) {
            unreadable.add(file + ": " + why);
        }
    };
    private final List<Journal> opened = new ArrayList<>();

    private Journal open() throws IOException {
        Journal journal = Journal.open(new FileStorage(dir, SEGMENT, 100L * SEGMENT, 0), events, 0);
        opened.add(journal);
        return journal;
    }

    @AfterEach
    void closeAll() {
        opened.forEach(Journal::close);
    }

    private static TagValue value(int i) {
        return TagValue.of("line" + (i % 7) + ".temp", T0.plusNanos(i * 1000L), (double) i, Quality.GOOD);
    }

    private static void append(Journal journal, int from, int to) throws IOException {
        for (int i = from; i < to; i++) {
            assertThat(journal.append(List.of(value(i)), 42, new long[1])).isEqualTo(Journal.Appended.OK);
        }
    }

    private static List<TagValue> readAll(Journal journal, Position from) {
        List<ReceivedValue> sink = new ArrayList<>();
        while (journal.read(from, sink, 1000, null) > 0) {
            // until nothing more
        }
        return sink.stream().map(ReceivedValue::value).toList();
    }

    private static List<TagValue> values(int from, int to) {
        return IntStream.range(from, to).mapToObj(JournalTest::value).toList();
    }

    @Test
    void everyKindOfValueReadsBackAsItWasAppended() throws IOException {
        Journal journal = open();
        List<TagValue> kinds = List.of(
                new TagValue("a", T0, null, Quality.BAD),
                new TagValue("b", T0.plusNanos(1000), 42L, Quality.of(0xC1)),
                new TagValue("c", T0, 2.5, Quality.UNCERTAIN),
                new TagValue("d", T0, true, Quality.GOOD),
                new TagValue("e", T0, false, Quality.GOOD),
                new TagValue("f", T0, "läuft ✓", Quality.GOOD),
                new TagValue("Kessel.Temperatur°", T0, new BigDecimal("1.2345678901234567890123"), Quality.GOOD));
        long[] seq = new long[1];

        assertThat(journal.append(kinds, 1_700_000_000_000_001L, seq)).isEqualTo(Journal.Appended.OK);

        List<ReceivedValue> sink = new ArrayList<>();
        journal.read(journal.position(0), sink, 100, null);
        assertThat(sink).extracting(ReceivedValue::value).containsExactlyElementsOf(kinds);
        assertThat(sink).allMatch(v -> v.receivedMicros() == 1_700_000_000_000_001L);
        assertThat(seq[0]).isZero();
        assertThat(journal.nextSeq()).isEqualTo(7);
    }

    @Test
    void valuesSpanSegmentsAndSurviveReopening() throws IOException {
        Journal journal = open();
        append(journal, 0, 3000);
        journal.force();
        journal.close();

        Journal again = open();

        assertThat(Files.list(dir).filter(f -> f.toString().endsWith(".tbj")).count()).isGreaterThan(2);
        assertThat(again.nextSeq()).isEqualTo(3000);
        assertThat(readAll(again, again.position(0))).containsExactlyElementsOf(values(0, 3000));
        append(again, 3000, 3010);
        assertThat(readAll(again, again.position(2995))).containsExactlyElementsOf(values(2995, 3010));
        assertThat(damage).isEmpty();
    }

    @Test
    void aReaderSeesOnlyValuesThatPassItsFilterAndStillMovesPastTheOthers() throws IOException {
        Journal journal = open();
        append(journal, 0, 70);
        Position position = journal.position(0);
        List<ReceivedValue> sink = new ArrayList<>();

        journal.read(position, sink, 1000, tag -> tag.startsWith("line3."));

        assertThat(sink).hasSize(10).allMatch(v -> v.value().tagName().equals("line3.temp"));
        assertThat(position.seq()).isEqualTo(70);
    }

    @Test
    void aTornRecordAtTheEndIsCutOffAndTheGoodOnesBeforeItStay() throws IOException {
        Journal journal = open();
        append(journal, 0, 10);
        journal.force();
        journal.close();
        Path last = newestSegment();
        int end = endOfData(last);
        truncateInPlace(last, end - 20);

        Journal again = open();

        assertThat(readAll(again, again.position(0))).containsExactlyElementsOf(values(0, 9));
        assertThat(again.nextSeq()).isEqualTo(9);
        assertThat(damage).singleElement().asString().contains("torn");
        append(again, 9, 12);
        assertThat(readAll(again, again.position(0))).hasSize(12);
    }

    @Test
    void aFlippedBitInTheMiddleLosesOnlyItsRecordAndIsCounted() throws IOException {
        Journal journal = open();
        append(journal, 0, 10);
        journal.force();
        journal.close();
        Path last = newestSegment();
        int fifth = recordOffset(last, 4);
        flipBit(last, fifth + 40);

        Journal again = open();

        List<TagValue> read = readAll(again, again.position(0));
        List<TagValue> expected = new ArrayList<>(values(0, 10));
        expected.remove(4);
        assertThat(read).containsExactlyElementsOf(expected);
        assertThat(damage).singleElement().asString().contains("1 values");
        assertThat(Files.list(dir.resolve(FileStorage.DAMAGED)).count()).isEqualTo(1);
    }

    @Test
    void damageAfterTheNewestSegmentsLastSyncMarkIsToldApartFromDamageBeforeIt() throws IOException {
        Journal journal = open();
        append(journal, 0, 10);
        journal.force();
        journal.markSynced(1_700_000_000_000_000L);
        append(journal, 10, 20);
        journal.force();
        journal.close();
        Path last = newestSegment();
        int synced = recordOffset(last, 3);
        int unsynced = recordOffset(last, 15);
        flipBit(last, synced + 40);
        flipBit(last, unsynced + 40);

        Journal again = open();
        readAll(again, again.position(0));

        assertThat(damage).hasSize(2);
        assertThat(damage.get(0)).contains("@" + synced + ":").endsWith("before the last sync");
        assertThat(damage.get(1)).contains("@" + unsynced + ":").endsWith("after the last sync");
    }

    @Test
    void aZeroedLengthInTheMiddleOfAnOlderSegmentSkipsToTheNextGoodRecord() throws IOException {
        Journal journal = open();
        append(journal, 0, 3000);
        journal.force();
        journal.close();
        Path first = oldestSegment();
        int third = recordOffset(first, 2);
        writeInt(first, third, 0);

        Journal again = open();
        Position position = again.position(0);
        List<TagValue> read = readAll(again, position);

        List<TagValue> expected = new ArrayList<>(values(0, 3000));
        expected.remove(2);
        assertThat(read).containsExactlyElementsOf(expected);
        assertThat(position.takeLost()).isEqualTo(1);
    }

    @Test
    void aZeroFilledSegmentAnOlderRolloverLeftIsDeletedAndTheJournalGoesOnWithoutAlarm() throws IOException {
        Journal journal = open();
        append(journal, 0, 10);
        journal.force();
        journal.close();
        Path empty = dir.resolve(FileStorage.name(10));
        Files.write(empty, new byte[SEGMENT]);

        Journal again = open();

        assertThat(unreadable).isEmpty();
        assertThat(Files.exists(empty)).isFalse();
        assertThat(again.nextSeq()).isEqualTo(10);
        assertThat(readAll(again, again.position(0))).hasSize(10);
    }

    @Test
    void aSegmentOfAnUnknownFormatIsMovedAsideUntouchedAndTheJournalStartsAnyway() throws IOException {
        Journal journal = open();
        append(journal, 0, 10);
        journal.force();
        journal.close();
        Path segment = newestSegment();
        ByteBuffer header = map(segment);
        header.putInt(4, 99);
        header.putInt(60, SegmentFormat.crc(header, 0, 60));
        byte[] before = Files.readAllBytes(segment);

        Journal again = open();

        assertThat(unreadable).singleElement().asString().contains("format 99");
        Path kept = dir.resolve(FileStorage.UNREADABLE).resolve(segment.getFileName());
        assertThat(Files.readAllBytes(kept)).isEqualTo(before);
        append(again, 0, 3);
        assertThat(readAll(again, again.position(0))).hasSize(3);
    }

    @Test
    void releasedSegmentsAreDeletedButTheNewestStays() throws IOException {
        Journal journal = open();
        append(journal, 0, 3000);
        long segmentsBefore = segmentFiles().count();

        int released = journal.releaseBefore(2500);

        assertThat(released).isPositive();
        assertThat(segmentFiles().count()).isEqualTo(segmentsBefore - released);
        assertThat(journal.firstSeq()).isLessThanOrEqualTo(2500);
        assertThat(readAll(journal, journal.position(2500))).containsExactlyElementsOf(values(2500, 3000));
        journal.releaseBefore(Long.MAX_VALUE);
        assertThat(segmentFiles().count()).isEqualTo(1);
    }

    @Test
    void theJournalRefusesToGrowPastItsMaximumAndSaysWhy() throws IOException {
        Journal journal = Journal.open(new FileStorage(dir, SEGMENT, 2L * SEGMENT, 0), events, 0);
        opened.add(journal);
        Journal.Appended last = Journal.Appended.OK;
        int i = 0;
        while (last == Journal.Appended.OK && i < 100_000) {
            last = journal.append(List.of(value(i++)), 0, new long[1]);
        }
        assertThat(last).isEqualTo(Journal.Appended.FULL);
        assertThat(journal.limitReached()).contains("may hold at most");
        assertThat(readAll(journal, journal.position(0))).hasSize(i - 1);
    }

    private Stream<Path> segmentFiles() throws IOException {
        return Files.list(dir).filter(f -> f.getFileName().toString().startsWith(FileStorage.PREFIX));
    }

    private Path newestSegment() throws IOException {
        return segmentFiles().sorted().reduce((a, b) -> b).orElseThrow();
    }

    private Path oldestSegment() throws IOException {
        return segmentFiles().sorted().findFirst().orElseThrow();
    }

    private static ByteBuffer map(Path file) throws IOException {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return c.map(FileChannel.MapMode.READ_WRITE, 0, c.size());
        }
    }

    private static int recordOffset(Path file, int n) throws IOException {
        ByteBuffer b = map(file);
        int at = SegmentFormat.HEADER;
        for (int i = 0; i < n; i++) {
            at = RecordScan.next(b, at);
        }
        return at;
    }

    private static int endOfData(Path file) throws IOException {
        ByteBuffer b = map(file);
        int at = SegmentFormat.HEADER;
        while (b.getInt(at) != 0) {
            at = RecordScan.next(b, at);
        }
        return at;
    }

    /** Zeroes everything from {@code from} on, as a power cut between two page writes would. */
    private static void truncateInPlace(Path file, int from) throws IOException {
        ByteBuffer b = map(file);
        int end = endOfData(file);
        for (int i = from; i < end; i++) {
            b.put(i, (byte) 0);
        }
        b.putInt(from, 0x00AB0000);
    }

    private static void flipBit(Path file, int at) throws IOException {
        ByteBuffer b = map(file);
        b.put(at, (byte) (b.get(at) ^ 0x10));
    }

    private static void writeInt(Path file, int at, int value) throws IOException {
        map(file).putInt(at, value);
    }
}
