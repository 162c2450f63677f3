package io.tagbridge.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tagbridge.api.IngestResult;
import io.tagbridge.api.Quality;
import io.tagbridge.api.RefusalReason;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.BackupException;
import io.tagbridge.api.pipeline.BatchBackup;
import io.tagbridge.api.pipeline.BufferStatus;
import io.tagbridge.api.pipeline.DropReason;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.TargetBacklog;
import io.tagbridge.api.pipeline.TargetCursor;
import io.tagbridge.buffer.journal.FileStorage;
import io.tagbridge.buffer.journal.HeapStorage;

import io.tagbridge.testkit.Await;

class JournalBufferTest {

    private static final int SEGMENT = 64 * 1024;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** The journal stamps received times from the gateway's clock, which the clock guard holds source times to. */
    private static final LongSupplier NOW = () -> ReceivedValue.micros(Instant.now());

    @TempDir
    Path dir;

    private final ListBackup backup = new ListBackup();
    private final AtomicLong clockMillis = new AtomicLong(1_000_000);
    private final Clock clock = new Clock() {
        public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
        public Clock withZone(java.time.ZoneId zone) { return this; }
        public Instant instant() { return Instant.ofEpochMilli(clockMillis.get()); }
    };
    private final List<JournalBuffer> opened = new ArrayList<>();

    /** Keeps backed-up values in memory; can be made to fail like a full disk. */
    static class ListBackup implements BatchBackup {
        final List<String> targets = new CopyOnWriteArrayList<>();
        final List<ReceivedValue> values = new CopyOnWriteArrayList<>();
        final AtomicBoolean failing = new AtomicBoolean();
        /** Thrown once, by the next save, as an unexpected error would end the thread that spills. */
        final java.util.concurrent.atomic.AtomicReference<Error> dieOnce =
                new java.util.concurrent.atomic.AtomicReference<>();

        public Path save(String target, List<ReceivedValue> batch, String reason) throws BackupException {
            Error error = dieOnce.getAndSet(null);
            if (error != null) {
                throw error;
            }
            if (failing.get()) {
                throw new BackupException("No space left on device", null);
            }
            targets.add(target);
            values.addAll(batch);
            return Path.of("backup_" + targets.size() + ".csv");
        }

        public Path directory() { return Path.of("."); }
        public io.tagbridge.api.pipeline.BackupStatus status() { return null; }
        public List<io.tagbridge.api.pipeline.BackupFile> files() { return List.of(); }
        public List<ReceivedValue> read(Path file) { return List.of(); }
    }

    private BufferSettings settings(OverflowPolicy policy, int capacity, long maxBytes) {
        return new BufferSettings(true, "", maxBytes, 0, SEGMENT, SyncPolicy.PERIODIC, Duration.ofMillis(20),
                capacity, policy, TimeUnit.MILLISECONDS.toNanos(100), Duration.ofHours(1));
    }

    private JournalBuffer onDisk(BufferSettings s) throws IOException {
        JournalBuffer b = JournalBuffer.open(s, new FileStorage(dir, s.segmentBytes(), s.maxBytes(), 0), dir,
                () -> backup, NOW, clock);
        opened.add(b);
        return b;
    }

    private JournalBuffer inMemory(OverflowPolicy policy, int capacity) throws IOException {
        JournalBuffer b = JournalBuffer.open(settings(policy, capacity, Long.MAX_VALUE), new HeapStorage(4096), null,
                () -> backup, NOW, clock);
        opened.add(b);
        return b;
    }

    /** A buffer in memory whose clock guard has the given policy, the floor its default and an hour ahead. */
    private JournalBuffer guarded(ClockPolicy policy) throws IOException {
        BufferSettings s = new BufferSettings(true, "", Long.MAX_VALUE, 0, SEGMENT, SyncPolicy.PERIODIC,
                Duration.ofMillis(20), 100, OverflowPolicy.REJECT_NEWEST, 0, Duration.ofHours(1),
                Duration.ofSeconds(5), UnavailablePolicy.REFUSE,
                new ClockSettings(policy, BufferSettings.BUILT_NO_EARLIER, Duration.ofHours(1)), DeadbandSettings.OFF);
        JournalBuffer b = JournalBuffer.open(s, new HeapStorage(4096), null, () -> backup, NOW, clock);
        opened.add(b);
        return b;
    }

    @AfterEach
    void closeAll() {
        opened.forEach(JournalBuffer::close);
    }

    private static TagValue value(String tag, int i) {
        return TagValue.of(tag, T0.plusNanos(i * 1000L), (double) i, Quality.GOOD);
    }

    private static List<TagValue> values(String tag, int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> value(tag, i)).toList();
    }

    private static List<TagValue> take(TargetCursor cursor, int max) throws InterruptedException {
        List<ReceivedValue> batch = new ArrayList<>();
        cursor.next(batch, max, 10, TimeUnit.MILLISECONDS);
        return batch.stream().map(ReceivedValue::value).toList();
    }

    private static void identity(TargetBacklog b) {
        assertThat(b.routed()).as("routed = written + alreadyStored + backedUp + dropped + backlog: " + b)
                .isEqualTo(b.written() + b.alreadyStored() + b.backedUp() + b.droppedTotal() + b.backlog());
    }

    /** A buffer on disk whose deadband stores a value of any tag that moved more than 1, without heartbeat. */
    private JournalBuffer banded(int capacity) throws IOException {
        BufferSettings s = new BufferSettings(true, "", Long.MAX_VALUE, 0, SEGMENT, SyncPolicy.PERIODIC,
                Duration.ofMillis(20), capacity, OverflowPolicy.REJECT_NEWEST, 0, Duration.ofHours(1),
                Duration.ofSeconds(5), UnavailablePolicy.REFUSE, BufferSettings.defaults().clock(),
                DeadbandSettings.of(new String[] { "*=1" }, 0, new ArrayList<>()));
        return onDisk(s);
    }

    @Test
    void valuesWithinTheDeadbandAreCountedFilteredNotStoredAndTheCountOutlivesARestart() throws Exception {
        JournalBuffer buffer = banded(100);
        TargetCursor a = buffer.open("a", List.of());

        IngestResult result = buffer.offerDurably(List.of(value("t", 0), value("t", 1), value("t", 2),
                value("t", 3))).toCompletableFuture().get();

        assertThat(result.accepted()).as("0, then 2 (moved 2)").isEqualTo(2);
        assertThat(result.filtered()).isEqualTo(2);
        assertThat(result.allAccepted()).isTrue();
        assertThat(result.durable()).isTrue();
        assertThat(take(a, 10)).extracting(TagValue::value).containsExactly(0.0, 2.0);
        IngestResult allFiltered = buffer.offerDurably(List.of(value("t", 3))).toCompletableFuture().get();
        assertThat(allFiltered.accepted()).isZero();
        assertThat(allFiltered.filtered()).isEqualTo(1);
        assertThat(allFiltered.durable()).as("answered once the values before it are on disk").isTrue();
        BufferStatus status = buffer.status();
        assertThat(status.offered()).isEqualTo(status.accepted() + status.refusedTotal() + status.filtered())
                .isEqualTo(5);
        assertThat(status.filtered()).isEqualTo(3);

        buffer.close();
        opened.clear();
        JournalBuffer again = banded(100);
        assertThat(again.status().filtered()).isEqualTo(3);
        assertThat(again.status().offered()).isEqualTo(5);
        assertThat(again.offer(List.of(value("t", 3))).accepted()).as("a tag's first value after a start")
                .isEqualTo(1);
    }

    @Test
    void anOfferWithASourceTimeBeforeTheFloorIsRefusedWholeAsClockSuspectAndCountedAtTheDoor() throws Exception {
        JournalBuffer buffer = guarded(ClockPolicy.REFUSE);
        TargetCursor a = buffer.open("a", List.of());

        IngestResult result = buffer.offer(List.of(value("t", 0), TagValue.of("t", Instant.EPOCH, 1.0,
                Quality.GOOD)));

        assertThat(result.refused()).isEqualTo(2);
        assertThat(result.reasonCode()).isEqualTo(RefusalReason.CLOCK_SUSPECT);
        BufferStatus status = buffer.status();
        assertThat(status.offered()).isEqualTo(2);
        assertThat(status.accepted()).isZero();
        assertThat(status.refused()).containsEntry(RefusalReason.CLOCK_SUSPECT, 2L);
        assertThat(status.diagnosis().reason()).isEqualTo("CLOCK_SUSPECT");
        assertThat(take(a, 10)).isEmpty();
    }

    @Test
    void withUseReceivedTimeASuspectValueIsAcceptedAtTheTimeTheJournalStampsAndCounted() throws Exception {
        JournalBuffer buffer = guarded(ClockPolicy.USE_RECEIVED_TIME);
        TargetCursor a = buffer.open("a", List.of());

        assertThat(buffer.offer(List.of(value("t", 0), TagValue.of("t", Instant.EPOCH, 1.0, Quality.GOOD)))
                .allAccepted()).isTrue();

        List<ReceivedValue> taken = new ArrayList<>();
        a.next(taken, 10, 0, TimeUnit.MILLISECONDS);
        assertThat(taken).hasSize(2);
        assertThat(taken.get(0).value()).isEqualTo(value("t", 0));
        ReceivedValue moved = taken.get(1);
        assertThat(ReceivedValue.micros(moved.value().sourceTime())).isEqualTo(moved.receivedMicros());
        assertThat(moved.value().quality()).isEqualTo(Quality.UNCERTAIN);
        assertThat(buffer.status().clockSuspect()).isEqualTo(1);
        assertThat(buffer.status().accepted()).isEqualTo(2);
    }

    @Test
    void everyTargetGetsEveryValueAndEachSettlesOnItsOwn() throws Exception {
        JournalBuffer buffer = onDisk(settings(OverflowPolicy.BLOCK, 1, 100L * SEGMENT));
        TargetCursor a = buffer.open("a", List.of());
        TargetCursor b = buffer.open("b", List.of());

        assertThat(buffer.offer(values("t", 0, 10)).allAccepted()).isTrue();

        assertThat(take(a, 100)).containsExactlyElementsOf(values("t", 0, 10));
        a.settle(10, 0, 0, true);
        assertThat(take(b, 4)).containsExactlyElementsOf(values("t", 0, 4));
        b.settle(4, 0, 0, true);
        var status = buffer.status();
        assertThat(status.targets().get("a").backlog()).isZero();
        assertThat(status.targets().get("b").backlog()).isEqualTo(6);
        assertThat(status.offered()).isEqualTo(10);
        status.targets().values().forEach(JournalBufferTest::identity);
    }

    @Test
    void aValueNoTargetTakesIsRefusedAtTheDoorNamingTheTag() throws Exception {
        JournalBuffer buffer = onDisk(settings(OverflowPolicy.BLOCK, 1, 100L * SEGMENT));
        IngestResult none = buffer.offer(values("t", 0, 1));
        assertThat(none.reasonCode()).isEqualTo(RefusalReason.NO_TARGET);

        TargetCursor line1 = buffer.open("line1", List.of("line1.*"));
        TargetCursor line2 = buffer.open("line2", List.of("line2.*", "shared.?"));
        IngestResult stray = buffer.offer(List.of(value("line1.a", 0), value("line3.x", 1)));
        buffer.offer(List.of(value("line1.a", 2), value("line2.b", 3), value("shared.1", 4)));

        assertThat(stray.reasonCode()).isEqualTo(RefusalReason.NO_TARGET);
        assertThat(stray.reason()).contains("line3.x");
        assertThat(take(line1, 100)).containsExactly(value("line1.a", 2));
        assertThat(take(line2, 100)).containsExactly(value("line2.b", 3), value("shared.1", 4));
        assertThat(buffer.status().refused().get(RefusalReason.NO_TARGET)).isEqualTo(3);
        assertThat(buffer.status().offered()).isEqualTo(6);
    }

    @Test
    void valuesTakenButNotSettledAreTakenAgainAfterARestartAndSettledOnesAreNot() throws Exception {
        JournalBuffer first = onDisk(settings(OverflowPolicy.BLOCK, 1, 100L * SEGMENT));
        TargetCursor cursor = first.open("a", List.of());
        first.offer(values("t", 0, 30));
        take(cursor, 10);
        cursor.settle(10, 0, 0, true);
        take(cursor, 10);
        cursor.close();
        first.close();

        JournalBuffer second = onDisk(settings(OverflowPolicy.BLOCK, 1, 100L * SEGMENT));
        TargetCursor again = second.open("a", List.of());

        assertThat(take(again, 100)).containsExactlyElementsOf(values("t", 10, 30));
        TargetBacklog b = second.status().targets().get("a");
        assertThat(b.written()).isEqualTo(10);
        assertThat(b.backlog()).isEqualTo(20);
        assertThat(second.status().accepted()).isEqualTo(30);
    }

    @Test
    void settledButNotYetDurableValuesAreTakenAgainAfterARestart() throws Exception {
        JournalBuffer first = onDisk(settings(OverflowPolicy.BLOCK, 1, 100L * SEGMENT));
        TargetCursor cursor = first.open("a", List.of());
        first.offer(values("t", 0, 20));
        take(cursor, 10);
        cursor.settle(10, 0, 0, true);
        take(cursor, 10);
        cursor.settle(10, 0, 0, false);
        cursor.close();
        first.close();

        JournalBuffer second = onDisk(settings(OverflowPolicy.BLOCK, 1, 100L * SEGMENT));

        assertThat(take(second.open("a", List.of()), 100)).containsExactlyElementsOf(values("t", 10, 20));
        assertThat(second.status().targets().get("a").written()).isEqualTo(10);
    }

    @Test
    void aNewTargetStartsWithTheValuesOfferedFromThenOn() throws Exception {
        JournalBuffer buffer = onDisk(settings(OverflowPolicy.BLOCK, 1, 100L * SEGMENT));
        buffer.open("old", List.of());
        buffer.offer(values("t", 0, 5));

        TargetCursor fresh = buffer.open("new", List.of());
        buffer.offer(values("t", 5, 8));

        assertThat(take(fresh, 100)).containsExactlyElementsOf(values("t", 5, 8));
    }

    @Test
    void withTheJournalOffAFullBufferRefusesTheNewestAndCountsThem() throws Exception {
        JournalBuffer buffer = inMemory(OverflowPolicy.REJECT_NEWEST, 5);
        buffer.open("a", List.of());

        assertThat(buffer.offer(values("t", 0, 5)).allAccepted()).isTrue();
        IngestResult refused = buffer.offer(values("t", 5, 7));

        assertThat(refused.reasonCode()).isEqualTo(RefusalReason.BUFFER_FULL);
        assertThat(buffer.status().refused().get(RefusalReason.BUFFER_FULL)).isEqualTo(2);
        assertThat(buffer.status().fillPercent()).isEqualTo(100);
    }

    @Test
    void dropOldestDiscardsTheOldestUnsettledValuesAndCountsThemForEachTarget() throws Exception {
        JournalBuffer buffer = inMemory(OverflowPolicy.DROP_OLDEST, 5);
        TargetCursor a = buffer.open("a", List.of());
        buffer.open("b", List.of());
        buffer.offer(values("t", 0, 5));

        assertThat(buffer.offer(values("t", 5, 7)).allAccepted()).isTrue();

        assertThat(take(a, 100)).containsExactlyElementsOf(values("t", 2, 7));
        var status = buffer.status();
        assertThat(status.targets().get("a").dropped().get(DropReason.OVERFLOW)).isEqualTo(2);
        assertThat(status.targets().get("b").dropped().get(DropReason.OVERFLOW)).isEqualTo(2);
        status.targets().values().forEach(JournalBufferTest::identity);
    }

    @Test
    void blockWaitsForRoomAndTakesTheValuesOnceAWriterSettles() throws Exception {
        // A minute to wait for room: the writer below settles once the offer waits, however slow the machine.
        BufferSettings patient = new BufferSettings(true, "", Long.MAX_VALUE, 0, SEGMENT, SyncPolicy.PERIODIC,
                Duration.ofMillis(20), 5, OverflowPolicy.BLOCK, TimeUnit.MINUTES.toNanos(1), Duration.ofHours(1));
        JournalBuffer buffer = JournalBuffer.open(patient, new HeapStorage(4096), null, () -> backup, NOW, clock);
        opened.add(buffer);
        TargetCursor a = buffer.open("a", List.of());
        buffer.offer(values("t", 0, 5));
        take(a, 5);
        java.util.concurrent.atomic.AtomicReference<Thread> offering = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.CompletableFuture<IngestResult> offer = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> {
                    offering.set(Thread.currentThread());
                    return buffer.offer(values("t", 5, 6));
                });

        awaitUntil(() -> offering.get() != null && offering.get().getState() == Thread.State.TIMED_WAITING);
        assertThat(offer).as("the offer waits for room").isNotDone();
        a.settle(5, 0, 0, true);

        assertThat(offer.get(1, TimeUnit.MINUTES).allAccepted()).isTrue();
    }

    @Test
    void whenTheJournalIsFullTheMostLaggingTargetsOldestValuesGoToItsBackupAndTheLiveOneGoesOn() throws Exception {
        // Drivers may wait while a spilled segment is released: the ledger on disk must stop needing it first.
        JournalBuffer buffer = onDisk(new BufferSettings(true, "", 4L * SEGMENT, 0, SEGMENT, SyncPolicy.PERIODIC,
                Duration.ofMillis(20), 1, OverflowPolicy.BLOCK, TimeUnit.SECONDS.toNanos(5), Duration.ofHours(1)));
        TargetCursor live = buffer.open("live", List.of());
        buffer.open("dead", List.of());
        long accepted = 0;
        List<TagValue> seenByLive = new ArrayList<>();
        for (int i = 0; i < 20_000; i += 100) {
            IngestResult r = buffer.offer(values("t", i, i + 100));
            assertThat(r.allAccepted()).as("offer %d: %s", i, r.reason()).isTrue();
            accepted += 100;
            seenByLive.addAll(take(live, 100));
            live.settle(100, 0, 0, true);
        }

        assertThat(seenByLive).hasSize(20_000);
        assertThat(backup.targets).isNotEmpty().allMatch("dead"::equals);
        TargetBacklog dead = buffer.status().targets().get("dead");
        assertThat(dead.backedUp()).isEqualTo(backup.values.size()).isPositive();
        identity(dead);
        assertThat(dead.routed()).isEqualTo(accepted);
    }

    @Test
    void aDeletedTargetHoldsItsValuesUntilItIsReleasedAndThenCountsThemAsDropped() throws Exception {
        JournalBuffer buffer = onDisk(settings(OverflowPolicy.BLOCK, 1, 100L * SEGMENT));
        TargetCursor gone = buffer.open("gone", List.of());
        buffer.open("stays", List.of());
        buffer.offer(values("t", 0, 10));
        gone.close();

        buffer.remove("gone");
        assertThat(buffer.status().targets().get("gone").backlog()).as("held while it may come back").isEqualTo(10);
        clockMillis.addAndGet(Duration.ofHours(2).toMillis());

        awaitUntil(() -> buffer.status().targets().get("gone").backlog() == 0);
        TargetBacklog released = buffer.status().targets().get("gone");
        assertThat(released.dropped()).containsEntry(DropReason.TARGET_DELETED, 10L);
        assertThat(released.routed()).isEqualTo(10);
        assertThat(released.deletedAt()).isNotNull();
        buffer.offer(values("t", 10, 20));
        assertThat(buffer.status().targets().get("gone").routed()).as("a released target takes no new value")
                .isEqualTo(10);
        assertThat(buffer.status().targets().get("stays").routed()).isEqualTo(20);
    }

    @Test
    void aTargetNameCanHaveOnlyOneOpenCursor() throws Exception {
        JournalBuffer buffer = onDisk(settings(OverflowPolicy.BLOCK, 1, 100L * SEGMENT));
        buffer.open("a", List.of());

        assertThatThrownBy(() -> buffer.open("a", List.of())).hasMessageContaining("unique");
    }

    @Test
    void settlingMoreThanWasTakenIsAnError() throws Exception {
        JournalBuffer buffer = onDisk(settings(OverflowPolicy.BLOCK, 1, 100L * SEGMENT));
        TargetCursor a = buffer.open("a", List.of());
        buffer.offer(values("t", 0, 10));
        take(a, 4);

        assertThatThrownBy(() -> a.settle(5, 0, 0, true)).hasMessageContaining("settled 5");
    }

    @Test
    void withTheJournalOffWhatIsUnsettledAtStopGoesToBackupPerTarget() throws Exception {
        JournalBuffer buffer = inMemory(OverflowPolicy.BLOCK, 100);
        TargetCursor a = buffer.open("a", List.of());
        buffer.open("b", List.of());
        buffer.offer(values("t", 0, 10));
        take(a, 10);
        a.settle(10, 0, 0, true);

        buffer.close();

        assertThat(backup.targets).containsExactly("b");
        assertThat(backup.values).extracting(ReceivedValue::value).containsExactlyElementsOf(values("t", 0, 10));
    }

    @Test
    void aFlippedBitAZeroedLengthAndATruncatedRecordCostOnlyTheirValuesWhichAreCountedAsDropped() throws Exception {
        BufferSettings s = settings(OverflowPolicy.BLOCK, 1, 100L * SEGMENT);
        JournalBuffer first = onDisk(s);
        first.expect("a", List.of());
        for (int i = 0; i < 40; i++) {
            first.offer(values("t", i * 10, i * 10 + 10));
        }
        first.close();
        Path segment = java.nio.file.Files.list(dir).filter(f -> f.toString().endsWith(".tbj")).sorted()
                .findFirst().orElseThrow();
        java.nio.ByteBuffer b = map(segment);
        int r3 = record(b, 3);
        int r17 = record(b, 17);
        int last = record(b, 39);
        b.put(r3 + 40, (byte) (b.get(r3 + 40) ^ 0x01));
        b.putInt(r17, 0);
        for (int i = last + 20; i < last + 200; i++) {
            b.put(i, (byte) 0);
        }

        JournalBuffer second = onDisk(s);
        TargetCursor a = second.open("a", List.of());
        List<TagValue> read = new ArrayList<>();
        List<TagValue> batch;
        while (!(batch = take(a, 1000)).isEmpty()) {
            read.addAll(batch);
            a.settle(batch.size(), 0, 0, true);
        }

        List<TagValue> expected = new ArrayList<>(values("t", 0, 400));
        expected.removeAll(values("t", 390, 400));
        expected.removeAll(values("t", 170, 180));
        expected.removeAll(values("t", 30, 40));
        assertThat(read).containsExactlyElementsOf(expected);
        var status = second.status();
        TargetBacklog t = status.targets().get("a");
        assertThat(t.dropped().get(DropReason.JOURNAL_DAMAGED)).as("two damaged records and the torn last one")
                .isEqualTo(30);
        assertThat(status.damagedBytes()).isPositive();
        assertThat(java.nio.file.Files.list(dir.resolve("damaged")).count()).isPositive();
        assertThat(t.routed()).isEqualTo(400);
        assertThat(status.accepted()).isEqualTo(400);
        identity(t);
    }

    @Test
    void aJournalOfANewerFormatIsKeptAsideAndReportedWhileTheBufferStartsAfresh() throws Exception {
        BufferSettings s = settings(OverflowPolicy.BLOCK, 1, 100L * SEGMENT);
        JournalBuffer first = onDisk(s);
        first.expect("a", List.of());
        first.offer(values("t", 0, 10));
        first.close();
        Path segment = java.nio.file.Files.list(dir).filter(f -> f.toString().endsWith(".tbj")).findFirst()
                .orElseThrow();
        java.nio.ByteBuffer b = map(segment);
        b.putInt(4, 3);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(b.slice(0, 60));
        b.putInt(60, (int) crc.getValue());

        JournalBuffer second = onDisk(s);

        assertThat(second.status().diagnosis().reason()).isEqualTo("JOURNAL_FORMAT_UNKNOWN");
        assertThat(java.nio.file.Files.exists(dir.resolve("unreadable").resolve(segment.getFileName()))).isTrue();
        assertThat(second.offer(values("t", 10, 11)).allAccepted()).isTrue();
    }

    @Test
    void whenSpillingFailsTooTheOverflowPolicyRefusesAndEveryValueIsCounted() throws Exception {
        backup.failing.set(true);
        BufferSettings s = new BufferSettings(true, "", 4L * SEGMENT, 0, SEGMENT, SyncPolicy.PERIODIC,
                Duration.ofMillis(20), 1, OverflowPolicy.REJECT_NEWEST, 0, Duration.ofHours(1));
        JournalBuffer buffer = onDisk(s);
        buffer.open("dead", List.of());
        long offered = 0;
        long refused = 0;
        for (int i = 0; i < 20_000; i += 100) {
            IngestResult r = buffer.offer(values("t", i, i + 100));
            offered += 100;
            refused += r.refused();
        }

        awaitUntil(() -> buffer.status().diagnosis().reason().equals("SPILL_FAILING"));
        var status = buffer.status();
        assertThat(refused).isPositive();
        assertThat(status.refused().get(RefusalReason.BUFFER_FULL)).isEqualTo(refused);
        assertThat(status.offered()).isEqualTo(offered);
        assertThat(status.accepted()).isEqualTo(offered - refused);
        assertThat(status.targets().get("dead").routed()).isEqualTo(offered - refused);
        identity(status.targets().get("dead"));
    }

    @Test
    void loweringTheMaximumSpillsTheLaggingTargetDownToIt() throws Exception {
        JournalBuffer buffer = withDeadTargetsBacklog();
        assertThat(backup.values).isEmpty();

        buffer.reconfigure(settings(OverflowPolicy.BLOCK, 1, 4L * SEGMENT));

        awaitUntil(() -> buffer.fillPercent() < 90);
        assertThat(backup.values).isNotEmpty();
        identity(buffer.status().targets().get("dead"));
    }

    /** A roomy journal holding 20,000 values for a target that never takes them. */
    private JournalBuffer withDeadTargetsBacklog() throws Exception {
        JournalBuffer buffer = onDisk(settings(OverflowPolicy.BLOCK, 1, 100L * SEGMENT));
        buffer.open("dead", List.of());
        for (int i = 0; i < 20_000; i += 100) {
            buffer.offer(values("t", i, i + 100));
        }
        return buffer;
    }

    @Test
    void aSpillThreadEndedByAnErrorIsStartedAgainHealthSaysThreadDiedAndTheSpillGoesOn() throws Exception {
        JournalBuffer buffer = withDeadTargetsBacklog();
        backup.dieOnce.set(new Error("an error no one expected, in a test"));

        buffer.reconfigure(settings(OverflowPolicy.BLOCK, 1, 4L * SEGMENT));

        awaitUntil(() -> buffer.status().diagnosis().reason().equals("THREAD_DIED"));
        assertThat(buffer.status().diagnosis().error()).contains("an error no one expected");
        assertThat(buffer.status().diagnosis().advice()).as("the spill thread, not another")
                .contains("tagbridge-journal-spill");
        awaitUntil(() -> buffer.fillPercent() < 90);
        assertThat(backup.values).as("spilled by the thread started again").isNotEmpty();
        identity(buffer.status().targets().get("dead"));
    }

    @Test
    void healthSaysSpillingForFiveMinutesAfterTheLastSpillThenJournalingAgain() throws Exception {
        JournalBuffer buffer = withDeadTargetsBacklog();
        buffer.reconfigure(settings(OverflowPolicy.BLOCK, 1, 4L * SEGMENT));
        // Spilling goes on until the journal is below 80 %: the clock moves only once the last chunk has gone.
        awaitUntil(() -> buffer.fillPercent() < 80);

        assertThat(buffer.status().diagnosis().reason()).as("the spill is over, but it happened")
                .isEqualTo("SPILLING");
        clockMillis.addAndGet(Duration.ofMinutes(4).toMillis());
        assertThat(buffer.status().diagnosis().reason()).isEqualTo("SPILLING");
        clockMillis.addAndGet(Duration.ofMinutes(2).toMillis());
        assertThat(buffer.status().diagnosis().reason()).isEqualTo("JOURNALING");
    }

    @Test
    void aStorageChangeWaitsUntilEveryTargetSettledEverythingDurably() throws Exception {
        JournalBuffer buffer = onDisk(settings(OverflowPolicy.BLOCK, 1, 100L * SEGMENT));
        TargetCursor a = buffer.open("a", List.of());
        buffer.offer(values("t", 0, 10));
        AtomicBoolean drained = new AtomicBoolean();
        buffer.whenDrained(() -> drained.set(true));

        take(a, 10);
        a.settle(10, 0, 0, false);
        Thread.sleep(200);
        assertThat(drained).as("settled, but not durable yet").isFalse();

        a.durable();
        awaitUntil(drained::get);
    }

    private static java.nio.ByteBuffer map(Path file) throws IOException {
        try (java.nio.channels.FileChannel c = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            return c.map(java.nio.channels.FileChannel.MapMode.READ_WRITE, 0, c.size());
        }
    }

    /** Reads and settles everything the target has, returning what it read. */
    private static List<TagValue> drain(TargetCursor cursor) throws InterruptedException {
        List<TagValue> read = new ArrayList<>();
        List<TagValue> batch;
        while (!(batch = take(cursor, 1000)).isEmpty()) {
            read.addAll(batch);
            cursor.settle(batch.size(), 0, 0, true);
        }
        return read;
    }

    /** Zero-fills the data of a segment from its n-th record on: pages a power cut kept from the disk. */
    private static int zeroFrom(Path segment, int n) throws IOException {
        java.nio.ByteBuffer b = map(segment);
        int from = record(b, n);
        int values = 0;
        for (int at = from; at + 32 <= b.capacity() && b.getInt(at) != 0; at = (at + 8 + b.getInt(at) + 7) & ~7) {
            values += b.getInt(at + 24);
        }
        for (int i = from; i < b.capacity(); i++) {
            b.put(i, (byte) 0);
        }
        return values;
    }

    /** What the disk holds now, copied aside while the buffer runs: the state a crash would leave. */
    private Path crashedCopy() throws IOException {
        Path crashed = java.nio.file.Files.createDirectories(dir.resolve("crashed"));
        try (var files = java.nio.file.Files.list(dir)) {
            for (Path f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                java.nio.file.Files.copy(f, crashed.resolve(f.getFileName()));
            }
        }
        return crashed;
    }

    private List<Path> segments() throws IOException {
        try (var files = java.nio.file.Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".tbj")).sorted().toList();
        }
    }

    @Test
    void aHoleAPowerCutLeftAtTheEndOfASealedSegmentCostsItsValuesOnceAndTheCountsStillAddUp() throws Exception {
        BufferSettings s = settings(OverflowPolicy.BLOCK, 1, 100L * SEGMENT);
        JournalBuffer first = onDisk(s);
        first.expect("a", List.of());
        for (int i = 0; segments().size() < 3; i += 100) {
            first.offer(values("t", i, i + 100));
        }
        long accepted = first.status().accepted();
        first.close();
        int lost = zeroFrom(segments().get(1), 5);

        JournalBuffer second = onDisk(s);
        List<TagValue> read = drain(second.open("a", List.of()));

        TargetBacklog t = second.status().targets().get("a");
        assertThat(read).hasSize((int) accepted - lost);
        assertThat(t.dropped().get(DropReason.JOURNAL_DAMAGED)).as("the values of the hole, once").isEqualTo(lost);
        assertThat(t.backlog()).isZero();
        identity(t);
    }

    @Test
    void aHoleAfterTheLedgersHeadIsCountedAsAcceptedAndDroppedSoThatTheCountsAddUp() throws Exception {
        BufferSettings rarelySynced = new BufferSettings(true, "", 100L * SEGMENT, 0, SEGMENT, SyncPolicy.PERIODIC,
                Duration.ofSeconds(30), 1, OverflowPolicy.BLOCK, TimeUnit.MILLISECONDS.toNanos(100),
                Duration.ofHours(1));
        JournalBuffer running = onDisk(rarelySynced);
        running.expect("a", List.of());
        for (int i = 0; segments().size() < 3; i += 100) {
            running.offer(values("t", i, i + 100));
        }
        long accepted = running.status().accepted();
        Path crashed = crashedCopy();
        Path middle;
        try (var files = java.nio.file.Files.list(crashed)) {
            middle = files.filter(f -> f.toString().endsWith(".tbj")).sorted().toList().get(1);
        }
        int lost = zeroFrom(middle, 3);

        JournalBuffer after = JournalBuffer.open(rarelySynced, new FileStorage(crashed, SEGMENT, 100L * SEGMENT, 0),
                crashed, () -> backup, NOW, clock);
        opened.add(after);
        List<TagValue> read = drain(after.open("a", List.of()));

        var status = after.status();
        TargetBacklog t = status.targets().get("a");
        assertThat(status.accepted()).as("every value the journal shows was accepted, the lost ones too")
                .isEqualTo(accepted);
        assertThat(read).hasSize((int) accepted - lost);
        assertThat(t.dropped().get(DropReason.JOURNAL_DAMAGED)).isEqualTo(lost);
        assertThat(t.backlog()).isZero();
        identity(t);
    }

    /** Where the n-th record of a segment starts. */
    @Test
    void aHoleAfterTheLastSyncIsCountedAsTheUncleanStopsCostAndNotReportedAsDamagedDisk() throws Exception {
        BufferSettings rarelySynced = new BufferSettings(true, "", 100L * SEGMENT, 0, SEGMENT, SyncPolicy.PERIODIC,
                Duration.ofMinutes(10), 1, OverflowPolicy.BLOCK, TimeUnit.MILLISECONDS.toNanos(100),
                Duration.ofHours(1));
        JournalBuffer running = onDisk(rarelySynced);
        running.expect("a", List.of());
        for (int i = 0; i < 100; i += 10) {
            running.offer(values("t", i, i + 10));
        }
        Path crashed = crashedCopy();
        Path segment;
        try (var files = java.nio.file.Files.list(crashed)) {
            segment = files.filter(f -> f.toString().endsWith(".tbj")).findFirst().orElseThrow();
        }
        java.nio.ByteBuffer b = map(segment);
        for (int i = record(b, 4); i < record(b, 5); i++) {
            b.put(i, (byte) 0);
        }

        JournalBuffer after = JournalBuffer.open(rarelySynced, new FileStorage(crashed, SEGMENT, 100L * SEGMENT, 0),
                crashed, () -> backup, NOW, clock);
        opened.add(after);
        List<TagValue> read = drain(after.open("a", List.of()));

        var status = after.status();
        assertThat(status.diagnosis().reason()).isEqualTo("UNCLEAN_STOP");
        assertThat(status.damagedBytes()).as("no fault of the disk").isZero();
        assertThat(read).hasSize(90).doesNotContainAnyElementsOf(values("t", 40, 50));
        assertThat(status.targets().get("a").dropped().get(DropReason.JOURNAL_DAMAGED)).isEqualTo(10);
        identity(status.targets().get("a"));
    }

    private static int record(java.nio.ByteBuffer b, int n) {
        int at = 64;
        for (int i = 0; i < n; i++) {
            at = (at + 8 + b.getInt(at) + 7) & ~7;
        }
        return at;
    }

    @Test
    void underASteadyStreamAStorageChangeClosesTheDoorOnceTheWriterKeepsUpAndLeavesNothingBehind() throws Exception {
        JournalBuffer buffer = onDisk(settings(OverflowPolicy.BLOCK, 1, 100L * SEGMENT));
        TargetCursor a = buffer.open("a", List.of());
        AtomicBoolean stop = new AtomicBoolean();
        List<IngestResult> refusals = new CopyOnWriteArrayList<>();
        Thread producer = new Thread(() -> {
            for (int i = 0; !stop.get(); i += 10) {
                IngestResult r = buffer.offer(values("t", i, i + 10));
                if (!r.allAccepted()) {
                    refusals.add(r);
                }
            }
        });
        Thread writer = new Thread(() -> {
            try {
                while (!stop.get()) {
                    int n = take(a, 500).size();
                    if (n > 0) {
                        a.settle(n, 0, 0, true);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        AtomicLong leftBehind = new AtomicLong(-1);
        producer.start();
        writer.start();
        try {
            buffer.whenDrained(() -> {
                TargetBacklog t = buffer.status().targets().get("a");
                leftBehind.set(t.backlog());
            });
            awaitUntil(() -> leftBehind.get() >= 0);
            Thread.sleep(100);
            assertThat(leftBehind).as("values accepted but not settled when the change ran").hasValue(0);
            assertThat(buffer.status().targets().get("a").backlog()).as("nothing accepted after the change ran")
                    .isZero();
            assertThat(refusals).isNotEmpty().allSatisfy(r -> {
                assertThat(r.reasonCode()).isEqualTo(RefusalReason.STOPPING);
                assertThat(r.reason()).contains("changing where it keeps values");
            });
        } finally {
            stop.set(true);
            producer.join();
            writer.join();
        }
    }

    @Test
    void withoutAReadableLedgerTheJournalKeepsEverythingUntilATargetComesToReadItAgain() throws Exception {
        BufferSettings s = settings(OverflowPolicy.BLOCK, 1, 100L * SEGMENT);
        JournalBuffer first = onDisk(s);
        first.expect("t", List.of());
        for (int i = 0; segments().size() < 3; i += 100) {
            first.offer(values("t", i, i + 100));
        }
        long accepted = first.status().accepted();
        first.close();
        java.nio.file.Files.delete(dir.resolve(Ledger.FILE));
        java.nio.file.Files.delete(dir.resolve(Ledger.PREVIOUS));

        JournalBuffer second = onDisk(s);
        Thread.sleep(3 * s.syncInterval().toMillis() + 100); // rounds of the sync thread before any writer starts
        List<TagValue> read = drain(second.open("t", List.of()));

        assertThat(read).as("every value the journal held, read again").hasSize((int) accepted);
    }

    private static void awaitUntil(java.util.function.BooleanSupplier done) {
        Await.until("the buffer to get there", Duration.ofSeconds(10), done::getAsBoolean);
    }
}
