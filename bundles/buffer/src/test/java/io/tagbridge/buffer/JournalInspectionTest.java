package io.tagbridge.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.DropReason;
import io.tagbridge.api.pipeline.JournalCheck;
import io.tagbridge.api.pipeline.JournalCheck.Finding;
import io.tagbridge.api.pipeline.JournalCheck.Severity;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.TargetBacklog;
import io.tagbridge.api.pipeline.TargetCursor;
import io.tagbridge.buffer.journal.FileStorage;

/**
 * The journal check reads a journal as a start would and says what the start would do, without changing a byte.
 * Journals are made by the buffer itself, then damaged as a power cut or a failing disk would; where it can, a test
 * then starts the buffer on the journal and finds that it did what the check said.
 */
class JournalInspectionTest {

    private static final int SEGMENT = 64 * 1024;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private final AtomicLong micros = new AtomicLong(ReceivedValue.micros(T0));
    private final List<JournalBuffer> opened = new ArrayList<>();
    private final JournalCheck check = new JournalCheckComponent();

    private JournalBuffer open(Path directory, Duration syncInterval) throws IOException {
        BufferSettings s = new BufferSettings(true, "", 100L * SEGMENT, 0, SEGMENT, SyncPolicy.PERIODIC,
                syncInterval, 1, OverflowPolicy.REJECT_NEWEST, 0, Duration.ofHours(1));
        JournalBuffer b = JournalBuffer.open(s, new FileStorage(directory, SEGMENT, s.maxBytes(), 0), directory,
                () -> null, micros::get, Clock.systemUTC());
        opened.add(b);
        return b;
    }

    private JournalBuffer open() throws IOException {
        return open(dir, Duration.ofMillis(20));
    }

    @AfterEach
    void closeAll() {
        opened.forEach(JournalBuffer::close);
    }

    private static List<TagValue> values(String tag, int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> TagValue.of(tag, T0.plusNanos(i * 1000L), (double) i,
                Quality.GOOD)).toList();
    }

    /** Offers {@code offers} records of ten values each, numbered from {@code from}. */
    private static void offer(JournalBuffer buffer, String tag, int from, int offers) {
        for (int i = 0; i < offers; i++) {
            assertThat(buffer.offer(values(tag, from + i * 10, from + i * 10 + 10)).allAccepted()).isTrue();
        }
    }

    private static List<Finding> findings(JournalCheck.Report report, String code) {
        return report.findings().stream().filter(f -> f.code().equals(code)).toList();
    }

    private static String codes(JournalCheck.Report report) {
        return report.findings().toString();
    }

    @Test
    void aCleanlyStoppedJournalIsSoundAndItsTargetsBacklogIsWhatTheBufferShowsAfterItsNextStart() throws Exception {
        JournalBuffer first = open();
        TargetCursor a = first.open("a", List.of());
        first.expect("b", List.of("x.*"));
        offer(first, "t", 0, 600);
        List<ReceivedValue> taken = new ArrayList<>();
        a.next(taken, 1000, 10, TimeUnit.MILLISECONDS);
        a.settle(1000, 0, 0, true);
        a.close();
        first.close();

        JournalCheck.Report report = check.check(dir, false);

        assertThat(report.sound()).as(codes(report)).isTrue();
        assertThat(report.findings()).as(codes(report)).isEmpty();
        assertThat(report.segments()).hasSizeGreaterThan(1).hasSize((int) segmentFiles().count());
        assertThat(report.segments()).allMatch(JournalCheck.Segment::readable);
        assertThat(report.segments().stream().mapToLong(JournalCheck.Segment::values).sum()).isEqualTo(6000);
        assertThat(report.segments().get(report.segments().size() - 1).nextSeq()).isEqualTo(6000);
        assertThat(report.segments().get(0).syncMark()).isNotNull();
        assertThat(report.ledger().file()).isEqualTo("ledger.properties");
        assertThat(report.ledger().cleanStop()).isTrue();
        assertThat(report.ledger().head()).isEqualTo(6000);
        JournalCheck.Target ta = report.targets().stream().filter(t -> t.name().equals("a")).findFirst().orElseThrow();
        assertThat(ta.position()).isEqualTo(1000);
        assertThat(ta.backlog().backlog()).isEqualTo(5000);
        assertThat(ta.backlog().backlogBytes()).isPositive();
        assertThat(ta.backlog().oldestUnsent()).isEqualTo(T0);
        assertThat(report.nextStart()).anyMatch(s -> s.contains("stopped in order"))
                .anyMatch(s -> s.contains("a from 1,000"));

        JournalBuffer second = open();
        TargetBacklog shown = second.status().targets().get("a");
        assertThat(ta.backlog().routed()).isEqualTo(shown.routed());
        assertThat(ta.backlog().written()).isEqualTo(shown.written());
        assertThat(ta.backlog().backlog()).isEqualTo(shown.backlog());
        JournalCheck.Target tb = report.targets().stream().filter(t -> t.name().equals("b")).findFirst().orElseThrow();
        assertThat(tb.tagFilter()).containsExactly("x.*");
        assertThat(tb.backlog().backlog()).isEqualTo(second.status().targets().get("b").backlog()).isZero();
    }

    @Test
    void aLiveLaneAheadOfItsTargetsPositionIsNotedAndTheNextStartHandsItsValuesOutAgainAsRepeating()
            throws Exception {
        JournalBuffer first = open();
        TargetCursor a = first.open("a", List.of());
        offer(first, "t", 0, 10);
        TargetCursor live = a.live(Duration.ofSeconds(1));
        List<ReceivedValue> taken = new ArrayList<>();
        assertThat(live.next(taken, 100, 0, TimeUnit.MILLISECONDS)).as("the split, at 100").isZero();
        offer(first, "t", 100, 5);
        assertThat(live.next(taken, 100, 10, TimeUnit.MILLISECONDS)).isEqualTo(50);
        live.settle(50, 0, 0, true);
        live.close();
        a.close();
        first.close();

        JournalCheck.Report report = check.check(dir, false);

        assertThat(report.sound()).as(codes(report)).isTrue();
        assertThat(findings(report, "LIVE_AHEAD")).singleElement().satisfies(f -> {
            assertThat(f.values()).isEqualTo(50);
            assertThat(f.what()).contains("sequence 100 to 150");
        });
        JournalCheck.Target ta = report.targets().get(0);
        assertThat(ta.position()).isZero();
        assertThat(ta.backlog().backlog()).as("the lane's values come again").isEqualTo(150);

        JournalBuffer second = open();
        TargetCursor again = second.open("a", List.of());
        taken.clear();
        assertThat(again.next(taken, 1000, 10, TimeUnit.MILLISECONDS)).isEqualTo(150);
        assertThat(again.repeating()).as("written the duplicate-safe way").isTrue();
    }

    @Test
    void aTornRecordAtTheEndIsReportedWithItsValuesAndTheCheckChangesNoByteWhileTheNextStartCutsItOff()
            throws Exception {
        JournalBuffer first = open();
        first.expect("a", List.of());
        offer(first, "t", 0, 40);
        first.close();
        Path segment = newestSegment();
        ByteBuffer b = map(segment);
        int last = record(b, 39);
        int end = record(b, 40);
        for (int i = end - 20; i < end; i++) {
            b.put(i, (byte) 0);
        }
        b.putInt(end - 20, 0x00AB0000);
        Map<String, String> before = snapshot(dir);

        JournalCheck.Report report = check.check(dir, false);

        assertThat(snapshot(dir)).as("the check changed nothing").isEqualTo(before);
        assertThat(dir.resolve("damaged")).doesNotExist();
        assertThat(report.sound()).isFalse();
        Finding torn = findings(report, "TORN_TAIL").get(0);
        assertThat(torn.severity()).isEqualTo(Severity.PROBLEM);
        assertThat(torn.file()).isEqualTo(segment.getFileName().toString());
        assertThat(torn.offset()).isEqualTo(last);
        assertThat(torn.values()).as("the torn record's header reached the disk").isEqualTo(10);
        assertThat(torn.what()).contains("torn record");
        assertThat(report.segments().get(0).nextSeq()).isEqualTo(390);
        assertThat(report.nextStart()).anyMatch(s -> s.startsWith("cut off the torn record"));

        JournalBuffer second = open();
        assertThat(second.journal().nextSeq()).as("the start cut off what the check said").isEqualTo(390);
        assertThat(dir.resolve("damaged")).isDirectory();
    }

    @Test
    void aFlippedBitInTheMiddleIsAProblemCostingTheValuesTheStartDropsAndAWarningOnceEveryTargetIsPast()
            throws Exception {
        JournalBuffer first = open();
        first.expect("a", List.of());
        offer(first, "t", 0, 40);
        first.close();
        ByteBuffer b = map(newestSegment());
        int r3 = record(b, 3);
        int r4 = record(b, 4);
        b.put(r3 + 40, (byte) (b.get(r3 + 40) ^ 0x01));

        JournalCheck.Report report = check.check(dir, false);

        assertThat(report.sound()).isFalse();
        assertThat(findings(report, "DAMAGED_RECORDS")).singleElement().satisfies(f -> {
            assertThat(f.offset()).isEqualTo(r3);
            assertThat(f.bytes()).isEqualTo(r4 - r3);
            assertThat(f.values()).isEqualTo(10);
            assertThat(f.what()).contains("sequences 30 to 39");
        });
        assertThat(findings(report, "TORN_TAIL")).isEmpty();
        assertThat(report.nextStart()).anyMatch(s -> s.startsWith("skip " + (r4 - r3) + " damaged bytes")
                && s.contains("10 values counted as dropped (JOURNAL_DAMAGED)"));

        JournalBuffer second = open();
        TargetCursor a = second.open("a", List.of());
        List<ReceivedValue> batch = new ArrayList<>();
        while (a.next(batch, 1000, 10, TimeUnit.MILLISECONDS) > 0) {
            a.settle(batch.size(), 0, 0, true);
            batch.clear();
        }
        assertThat(second.status().targets().get("a").dropped().get(DropReason.JOURNAL_DAMAGED)).isEqualTo(10);
        a.close();
        second.close();

        JournalCheck.Report afterwards = check.check(dir, false);

        assertThat(afterwards.sound()).as("every target is past the damage: " + codes(afterwards)).isTrue();
        assertThat(findings(afterwards, "DAMAGED_RECORDS")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.what()).contains("no target needs them any more");
        });
    }

    @Test
    void aJournalWithoutALedgerWouldStartEveryTargetAtTheOldestValueAndCountAnUncleanStop() throws Exception {
        JournalBuffer first = open();
        first.expect("a", List.of());
        offer(first, "t", 0, 40);
        first.close();
        Files.delete(dir.resolve(Ledger.FILE));
        Files.delete(dir.resolve(Ledger.PREVIOUS));

        JournalCheck.Report report = check.check(dir, false);

        assertThat(report.ledger()).isNull();
        assertThat(report.targets()).isEmpty();
        assertThat(report.sound()).isFalse();
        assertThat(findings(report, "NO_LEDGER")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.PROBLEM);
            assertThat(f.what()).contains("missing").contains("400");
        });
        assertThat(report.nextStart()).anyMatch(s -> s.startsWith("start each target at the oldest value kept "
                + "(sequence 0)")).anyMatch(s -> s.startsWith("report an unclean stop, the 1st"));
    }

    @Test
    void aLedgerWrittenWhileTheGatewayRanIsAnUncleanStopWithTheLastSyncAndTheNewestValueButNotAProblem()
            throws Exception {
        Instant synced = T0.plusSeconds(10);
        Instant notYetSynced = T0.plusSeconds(20);
        JournalBuffer running = open(dir.resolve("journal"), Duration.ofSeconds(1));
        running.expect("a", List.of());
        micros.set(ReceivedValue.micros(synced));
        offer(running, "t", 0, 10);
        Thread.sleep(1_300);
        micros.set(ReceivedValue.micros(notYetSynced));
        offer(running, "t", 100, 1);
        Path crashed = copyOf(dir.resolve("journal"), dir.resolve("crashed"));

        JournalCheck.Report report = JournalInspection.inspect(crashed, false, ZoneOffset.UTC);

        assertThat(report.ledger().cleanStop()).isFalse();
        assertThat(report.sound()).as(codes(report)).isTrue();
        assertThat(findings(report, "UNCLEAN_STOP")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.what()).contains("last synced to disk at 2026-01-01 00:00:10.000")
                    .contains("newest value found was accepted at 2026-01-01 00:00:20.000");
        });
        assertThat(report.segments().get(0).syncMark()).isEqualTo(synced);
        assertThat(report.ledger().head()).isEqualTo(100);
        assertThat(report.targets().get(0).afterLedger()).isEqualTo(10);
        assertThat(report.targets().get(0).backlog().routed()).isEqualTo(110);
        assertThat(report.nextStart()).anyMatch(s -> s.startsWith("count 10 values accepted after the ledger was "
                + "written: offered 110, accepted 110")).anyMatch(s -> s.startsWith("report an unclean stop, the 1st"));

        JournalBuffer after = open(crashed, Duration.ofSeconds(1));
        assertThat(after.status().accepted()).isEqualTo(110);
        assertThat(after.status().uncleanStop().lastSync()).isEqualTo(synced);
    }

    @Test
    void valuesLostToDamageAfterTheLedgerAreRoutedToEveryTargetAsTheNextStartRoutesThem() throws Exception {
        JournalBuffer running = open(dir.resolve("journal"), Duration.ofSeconds(1));
        running.expect("a", List.of());
        running.expect("b", List.of("u*"));
        offer(running, "t", 0, 10);
        Thread.sleep(1_300);
        offer(running, "t", 100, 5);
        Path crashed = copyOf(dir.resolve("journal"), dir.resolve("crashed"));
        ByteBuffer b = map(newestSegment(crashed));
        int r12 = record(b, 12);
        b.put(r12 + 40, (byte) (b.get(r12 + 40) ^ 0x01));

        JournalCheck.Report report = check.check(crashed, false);

        assertThat(report.ledger().head()).isEqualTo(100);
        assertThat(findings(report, "DAMAGED_RECORDS")).singleElement().extracting(Finding::values).isEqualTo(10L);
        JournalCheck.Target ta = report.targets().get(0);
        JournalCheck.Target tb = report.targets().get(1);
        assertThat(ta.afterLedger()).as("40 good values and 10 lost").isEqualTo(50);
        assertThat(tb.afterLedger()).as("the lost values' tags are unknown: every target gets them").isEqualTo(10);
        assertThat(report.nextStart()).anyMatch(s -> s.startsWith("count 50 values accepted after the ledger was "
                + "written (10 of them lost to damage"));

        JournalBuffer after = open(crashed, Duration.ofSeconds(1));
        assertThat(after.status().accepted()).isEqualTo(150);
        assertThat(ta.backlog().routed()).isEqualTo(after.status().targets().get(ta.name()).routed());
        assertThat(tb.backlog().routed()).isEqualTo(after.status().targets().get(tb.name()).routed());
    }

    @Test
    void inAJournalInUseTheRecordBeingWrittenIsInUseNotATornTailAndTheRunningLedgerIsNoUncleanStop()
            throws Exception {
        JournalBuffer running = open();
        running.expect("a", List.of());
        offer(running, "t", 0, 40);
        Thread.sleep(100);
        Path segment = newestSegment();
        ByteBuffer b = map(segment);
        int end = record(b, 40);
        b.putInt(end, 200);
        b.putLong(end + 8, 400);

        JournalCheck.Report inUse = check.check(dir, true);
        JournalCheck.Report asIfStopped = check.check(dir, false);

        assertThat(inUse.sound()).as(codes(inUse)).isTrue();
        assertThat(findings(inUse, "IN_USE")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.IN_USE);
            assertThat(f.file()).isEqualTo(segment.getFileName().toString());
            assertThat(f.offset()).isEqualTo(end);
        });
        assertThat(findings(inUse, "TORN_TAIL")).isEmpty();
        assertThat(findings(inUse, "UNCLEAN_STOP")).isEmpty();
        assertThat(inUse.nextStart()).isEmpty();
        assertThat(findings(asIfStopped, "TORN_TAIL")).singleElement().extracting(Finding::offset).isEqualTo((long) end);
    }

    @Test
    void aSegmentOfAnUnknownFormatIsAProblemAndIsLeftWhereItIs() throws Exception {
        JournalBuffer first = open();
        first.expect("a", List.of());
        offer(first, "t", 0, 10);
        first.close();
        Path segment = newestSegment();
        ByteBuffer b = map(segment);
        b.putInt(4, 99);
        CRC32C crc = new CRC32C();
        crc.update(b.slice(0, 60));
        b.putInt(60, (int) crc.getValue());

        JournalCheck.Report report = check.check(dir, false);

        assertThat(findings(report, "UNREADABLE_SEGMENT")).singleElement().extracting(Finding::what).asString()
                .contains("format 99");
        assertThat(report.segments()).singleElement().satisfies(s -> {
            assertThat(s.readable()).isFalse();
            assertThat(s.format()).isEqualTo(99);
        });
        assertThat(report.nextStart()).anyMatch(s -> s.startsWith("move " + segment.getFileName()));
        assertThat(segment).exists();
        assertThat(dir.resolve("unreadable")).doesNotExist();
    }

    @Test
    void aSegmentDeletedByHandLeavesATargetPositionInNoSegmentWhichIsAProblem() throws Exception {
        JournalBuffer first = open();
        first.expect("a", List.of());
        offer(first, "t", 0, 600);
        first.close();
        Path oldest = segmentFiles().sorted().findFirst().orElseThrow();
        Files.delete(oldest);

        JournalCheck.Report report = check.check(dir, false);

        long firstKept = report.segments().get(0).baseSeq();
        assertThat(firstKept).isPositive();
        assertThat(findings(report, "MISSING_SEGMENTS")).singleElement().extracting(Finding::what).asString()
                .contains("target a").contains(CheckNotes.number(firstKept) + " values");
    }

    @Test
    void aMissingSegmentBetweenTwoIsReportedAsValuesInNoSegment() throws Exception {
        JournalBuffer first = open();
        first.expect("a", List.of());
        offer(first, "t", 0, 900);
        first.close();
        List<Path> segments = segmentFiles().sorted().toList();
        assertThat(segments).hasSizeGreaterThanOrEqualTo(3);
        Files.delete(segments.get(1));

        JournalCheck.Report report = check.check(dir, false);

        long secondBase = Long.parseLong(segments.get(1).getFileName().toString().replaceAll("\\D", ""));
        long thirdBase = report.segments().get(1).baseSeq();
        assertThat(findings(report, "MISSING_VALUES")).singleElement().satisfies(f -> {
            assertThat(f.file()).isEqualTo(segments.get(0).getFileName().toString());
            assertThat(f.values()).isEqualTo(thirdBase - secondBase);
        });
    }

    // ---------------------------------------------------------------- helpers

    private Stream<Path> segmentFiles() throws IOException {
        return segmentFiles(dir);
    }

    private static Stream<Path> segmentFiles(Path journal) throws IOException {
        return Files.list(journal).filter(f -> f.getFileName().toString().startsWith(FileStorage.PREFIX));
    }

    private Path newestSegment() throws IOException {
        return newestSegment(dir);
    }

    private static Path newestSegment(Path journal) throws IOException {
        return segmentFiles(journal).sorted().reduce((x, y) -> y).orElseThrow();
    }

    private static ByteBuffer map(Path file) throws IOException {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return c.map(FileChannel.MapMode.READ_WRITE, 0, c.size());
        }
    }

    /** Where the n-th record of a segment starts. */
    private static int record(ByteBuffer b, int n) {
        int at = 64;
        for (int i = 0; i < n; i++) {
            at = (at + 8 + b.getInt(at) + 7) & ~7;
        }
        return at;
    }

    private static Path copyOf(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    /** Every file under a directory: its size, modification time and a checksum of its bytes. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                String state = Files.isDirectory(p) ? "dir"
                        : Files.size(p) + " " + Files.getLastModifiedTime(p) + " " + crc(Files.readAllBytes(p));
                files.put(root.relativize(p).toString(), state);
            }
        }
        return files;
    }

    private static long crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return crc.getValue();
    }
}
