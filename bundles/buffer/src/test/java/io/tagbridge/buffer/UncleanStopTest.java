package io.tagbridge.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.BufferStatus;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.UncleanStop;
import io.tagbridge.buffer.journal.FileStorage;

/**
 * A start tells a clean stop from an unclean one (a power cut, a crash, a kill) and says what the unclean one may
 * have cost. An unclean stop is simulated by copying the journal's files while the buffer runs: the copy is what
 * a disk would hold had everything the operating system had been given reached it.
 */
class UncleanStopTest {

    private static final int SEGMENT = 64 * 1024;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private final AtomicLong micros = new AtomicLong(ReceivedValue.micros(T0));
    private final List<JournalBuffer> opened = new ArrayList<>();

    private JournalBuffer open(Path directory) throws IOException {
        BufferSettings s = new BufferSettings(true, "", 100L * SEGMENT, 0, SEGMENT, SyncPolicy.PERIODIC,
                Duration.ofMillis(20), 1, OverflowPolicy.REJECT_NEWEST, 0, Duration.ofHours(1));
        JournalBuffer b = JournalBuffer.open(s, new FileStorage(directory, SEGMENT, s.maxBytes(), 0), directory,
                () -> null, micros::get, Clock.systemUTC());
        opened.add(b);
        b.open("a", List.of());
        return b;
    }

    @AfterEach
    void closeAll() {
        opened.forEach(JournalBuffer::close);
    }

    private static List<TagValue> values(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> TagValue.of("t", T0.plusNanos(i * 1000L), (double) i,
                Quality.GOOD)).toList();
    }

    /**
     * What a crash would leave of a running journal's directory. Its files are replaced while it runs (the ledger
     * by a rename): a file gone between listing and copying makes the copy start again, as a snapshot must hold one
     * moment.
     */
    private static Path copyOf(Path from, Path to) throws IOException {
        while (true) {
            Files.createDirectories(to);
            try (Stream<Path> files = Files.list(from)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
                return to;
            } catch (NoSuchFileException vanished) {
                try (Stream<Path> copied = Files.list(to)) {
                    for (Path f : copied.toList()) {
                        Files.delete(f);
                    }
                }
            }
        }
    }

    @Test
    void aStartAfterAnUncleanStopSaysWhenTheJournalWasLastSyncedAndWhatWasAcceptedAfter() throws Exception {
        Instant synced = T0.plusSeconds(10);
        Instant notYetSynced = T0.plusSeconds(20);
        JournalBuffer running = open(dir.resolve("journal"));
        micros.set(ReceivedValue.micros(synced));
        running.offer(values(0, 100));
        Thread.sleep(300);
        micros.set(ReceivedValue.micros(notYetSynced));
        running.offer(values(100, 110));
        Path crashed = copyOf(dir.resolve("journal"), dir.resolve("crashed"));

        JournalBuffer after = open(crashed);

        BufferStatus status = after.status();
        UncleanStop unclean = status.uncleanStop();
        assertThat(status.diagnosis().reason()).isEqualTo("UNCLEAN_STOP");
        assertThat(status.uncleanStops()).isEqualTo(1);
        assertThat(unclean.lastSync()).isBetween(synced, notYetSynced);
        assertThat(unclean.newestFound()).isEqualTo(notYetSynced);
        assertThat(status.diagnosis().advice()).contains(unclean.lastSync().toString());
        assertThat(status.accepted()).isEqualTo(110);
    }

    @Test
    void aStartAfterACleanStopReportsNothingAndTheCountOfUncleanStopsIsKept() throws Exception {
        JournalBuffer running = open(dir.resolve("journal"));
        running.offer(values(0, 10));
        Thread.sleep(100);
        Path crashed = copyOf(dir.resolve("journal"), dir.resolve("crashed"));
        running.close();
        JournalBuffer afterCrash = open(crashed);
        afterCrash.close();

        JournalBuffer afterCleanStop = open(crashed);

        assertThat(afterCleanStop.status().diagnosis().reason()).isNotEqualTo("UNCLEAN_STOP");
        assertThat(afterCleanStop.status().uncleanStop()).isNull();
        assertThat(afterCleanStop.status().uncleanStops()).isEqualTo(1);
    }

    @Test
    void aFirstStartIsNotAnUncleanStop() throws Exception {
        JournalBuffer first = open(dir.resolve("journal"));

        assertThat(first.status().uncleanStop()).isNull();
        assertThat(first.status().uncleanStops()).isZero();
    }

    @Test
    void aCrashBeforeTheFirstValueOfARunIsStillAnUncleanStop() throws Exception {
        JournalBuffer first = open(dir.resolve("journal"));
        first.offer(values(0, 10));
        first.close();
        open(dir.resolve("journal"));
        Path crashed = copyOf(dir.resolve("journal"), dir.resolve("crashed"));

        assertThat(open(crashed).status().uncleanStop()).isNotNull();
    }
}
