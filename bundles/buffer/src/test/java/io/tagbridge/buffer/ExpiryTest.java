package io.tagbridge.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.BackupException;
import io.tagbridge.api.pipeline.DropReason;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.TargetBacklog;
import io.tagbridge.api.pipeline.TargetCursor;
import io.tagbridge.buffer.journal.FileStorage;
import io.tagbridge.testkit.MovableClock;

/**
 * Retention by age in the buffer, with the gateway's clock and its monotonic clock both in the test's hands: values
 * older than their target keeps them expire, oldest first; a jump of the clock a year ahead expires nothing at once,
 * also after a restart; an archive that cannot be written takes nothing out.
 */
class ExpiryTest {

    private static final int SEGMENT = 64 * 1024;
    private static final Instant T0 = Instant.parse("2027-03-01T08:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    @TempDir
    Path dir;

    /** The gateway's clock, which may jump, and its monotonic clock, which only moves on. */
    private final MovableClock clock = new MovableClock(T0);
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final ArchiveBackup backup = new ArchiveBackup();
    private final List<JournalBuffer> opened = new ArrayList<>();

    /** Keeps archived values in memory; can be made to fail like a full disk. */
    static final class ArchiveBackup extends JournalBufferTest.ListBackup {
        final List<ReceivedValue> archived = new ArrayList<>();
        final AtomicBoolean archiveFails = new AtomicBoolean();

        @Override
        public Path archive(String target, List<ReceivedValue> values, String reason) throws BackupException {
            if (archiveFails.get()) {
                throw new BackupException("No space left on device", null);
            }
            archived.addAll(values);
            return Path.of("archive_1.csv.gz");
        }
    }

    @AfterEach
    void close() {
        opened.forEach(JournalBuffer::close);
    }

    private JournalBuffer open() throws IOException {
        BufferSettings s = new BufferSettings(true, "", Long.MAX_VALUE, 0, SEGMENT, SyncPolicy.PERIODIC,
                Duration.ofMillis(20), 1000, OverflowPolicy.REJECT_NEWEST, 0, Duration.ofHours(1));
        JournalBuffer b = JournalBuffer.open(s, new FileStorage(dir, SEGMENT, Long.MAX_VALUE, 0), dir, () -> backup,
                clock::micros, clock, nanos::get);
        opened.add(b);
        return b;
    }

    /** Both clocks move on together, as time passes. */
    private void pass(Duration d) {
        clock.advance(d);
        nanos.addAndGet(d.toNanos());
    }

    /** Ten values of tag t, with source times near the gateway's clock; {@code from} numbers them. */
    private List<TagValue> values(int from) {
        Instant now = clock.instant();
        return IntStream.range(from, from + 10).mapToObj(i -> TagValue.of("t", now.plusNanos(i * 1000L), (double) i,
                Quality.GOOD)).toList();
    }

    private static List<Object> drain(TargetCursor cursor) throws InterruptedException {
        List<ReceivedValue> batch = new ArrayList<>();
        cursor.next(batch, 1000, 10, TimeUnit.MILLISECONDS);
        return batch.stream().map(v -> v.value().value()).toList();
    }

    private static long expired(JournalBuffer buffer) {
        TargetBacklog a = buffer.status().targets().get("a");
        return a.dropped().get(DropReason.EXPIRED);
    }

    @Test
    void valuesOlderThanTheTargetKeepsThemExpireOldestFirstAndAreCounted() throws Exception {
        JournalBuffer buffer = open();
        TargetCursor a = buffer.open("a", List.of());
        a.expireAfter(HOUR, false);
        buffer.offer(values(0));
        pass(Duration.ofMinutes(40));
        buffer.offer(values(10));

        pass(Duration.ofMinutes(21));
        buffer.expireNow();

        assertThat(expired(buffer)).as("the first ten, 61 min old").isEqualTo(10);
        assertThat(buffer.status().targets().get("a").backlog()).isEqualTo(10);
        assertThat(buffer.status().diagnosis().reason()).isEqualTo("EXPIRED");
        assertThat(buffer.status().diagnosis().advice()).contains("target a: 10 values", "1 h", "dropped");
        assertThat(drain(a)).as("the younger ones stay").hasSize(10).startsWith(10.0);
    }

    @Test
    void theClockJumpingAYearAheadExpiresNothingAtOnceAlsoAfterARestartAndAgesGoOnFromTheTimeThatPassed()
            throws Exception {
        JournalBuffer buffer = open();
        TargetCursor a = buffer.open("a", List.of());
        a.expireAfter(HOUR, true);
        buffer.offer(values(0));
        pass(Duration.ofMinutes(30));

        clock.advance(Duration.ofDays(365));
        pass(Duration.ofSeconds(1));
        buffer.offer(values(10));
        buffer.expireNow();
        assertThat(expired(buffer)).as("a year on the clock, 30 min in truth").isZero();

        a.close();
        buffer.close();
        opened.clear();
        pass(Duration.ofSeconds(1));
        buffer = open();
        a = buffer.open("a", List.of());
        a.expireAfter(HOUR, true);
        buffer.expireNow();
        assertThat(expired(buffer)).as("the ledger kept the jump").isZero();

        pass(Duration.ofMinutes(31));
        buffer.expireNow();
        assertThat(expired(buffer)).as("61 min in truth since the first ten").isEqualTo(10);
        assertThat(backup.archived).extracting(v -> v.value().value()).containsExactly(0.0, 1.0, 2.0, 3.0, 4.0,
                5.0, 6.0, 7.0, 8.0, 9.0);
        assertThat(drain(a)).as("those after the jump are 31 min old").hasSize(10).startsWith(10.0);
    }

    @Test
    void anArchiveThatCannotBeWrittenTakesNothingOutUntilItCan() throws Exception {
        JournalBuffer buffer = open();
        TargetCursor a = buffer.open("a", List.of());
        a.expireAfter(HOUR, true);
        buffer.offer(values(0));
        pass(Duration.ofMinutes(61));
        backup.archiveFails.set(true);

        buffer.expireNow();
        assertThat(expired(buffer)).isZero();
        assertThat(buffer.status().targets().get("a").backlog()).isEqualTo(10);

        backup.archiveFails.set(false);
        buffer.expireNow();
        assertThat(expired(buffer)).isEqualTo(10);
        assertThat(backup.archived).hasSize(10);
    }

    @Test
    void withoutAMaximumAgeOrAfterItIsTakenAwayNothingExpires() throws Exception {
        JournalBuffer buffer = open();
        TargetCursor a = buffer.open("a", List.of());
        a.expireAfter(HOUR, false);
        a.expireAfter(null, false);
        buffer.offer(values(0));
        pass(Duration.ofDays(30));
        buffer.expireNow();
        assertThat(expired(buffer)).isZero();
        assertThat(drain(a)).hasSize(10);
    }
}
