package io.tagbridge.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tagbridge.api.IngestResult;
import io.tagbridge.api.Quality;
import io.tagbridge.api.RefusalReason;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.buffer.journal.HeapStorage;
import io.tagbridge.testkit.Await;

/** What a durable offer's answer means: it comes after the sync that covers it, and never lies about the disk. */
class DurableOfferTest {

    private static final int SEGMENT = 64 * 1024;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** The journal stamps received times from the gateway's clock, which the clock guard holds source times to. */
    private static final LongSupplier NOW = () -> ReceivedValue.micros(Instant.now());

    @TempDir
    Path dir;

    private final List<JournalBuffer> opened = new ArrayList<>();
    private FaultyStorage storage;

    /** A long sync interval, so that only durable offers make the buffer sync during a test. */
    private static BufferSettings settings(SyncPolicy sync, Duration timeout) {
        return new BufferSettings(true, "", 100L * SEGMENT, 0, SEGMENT, sync, Duration.ofSeconds(10), 100_000,
                OverflowPolicy.REJECT_NEWEST, 0, Duration.ofHours(1), timeout, UnavailablePolicy.REFUSE,
                BufferSettings.defaults().clock(), DeadbandSettings.OFF);
    }

    private JournalBuffer onDisk(BufferSettings s) throws IOException {
        storage = new FaultyStorage(dir, s.segmentBytes(), s.maxBytes());
        JournalBuffer b = JournalBuffer.open(s, storage, dir, () -> null, NOW, Clock.systemUTC());
        b.open("a", List.of());
        opened.add(b);
        return b;
    }

    @AfterEach
    void closeAll() {
        storage.held.set(null);
        opened.forEach(JournalBuffer::close);
    }

    private static List<TagValue> values(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> TagValue.of("t", T0.plusNanos(i * 1000L), (double) i,
                Quality.GOOD)).toList();
    }

    @Test
    void aDurableOfferCompletesOnlyAfterTheSyncThatCoversItsValues() throws Exception {
        JournalBuffer buffer = onDisk(settings(SyncPolicy.PERIODIC, Duration.ofSeconds(30)));
        CountDownLatch disk = new CountDownLatch(1);
        storage.held.set(disk);

        CompletableFuture<IngestResult> answer = buffer.offerDurably(values(0, 10)).toCompletableFuture();
        Thread.sleep(200);
        assertThat(answer).as("no answer while the sync has not finished").isNotDone();

        disk.countDown();
        IngestResult result = answer.get(5, TimeUnit.SECONDS);
        assertThat(result.accepted()).isEqualTo(10);
        assertThat(result.durable()).isTrue();
        assertThat(storage.forces.get()).isPositive();
    }

    @Test
    void aPlainOfferUnderPeriodicSyncAnswersAtOnceAndSaysItIsNotYetOnDisk() throws Exception {
        JournalBuffer buffer = onDisk(settings(SyncPolicy.PERIODIC, Duration.ofSeconds(30)));
        storage.held.set(new CountDownLatch(1));

        IngestResult result = buffer.offer(values(0, 10));

        assertThat(result.allAccepted()).isTrue();
        assertThat(result.durable()).isFalse();
    }

    @Test
    void underOnAcceptAPlainOfferReturnsAfterTheSyncAndSaysSo() throws Exception {
        JournalBuffer buffer = onDisk(settings(SyncPolicy.ON_ACCEPT, Duration.ofSeconds(30)));

        IngestResult result = buffer.offer(values(0, 10));

        assertThat(result.durable()).isTrue();
        assertThat(storage.forces.get()).isPositive();
    }

    @Test
    void offersWaitingTogetherShareOneSync() throws Exception {
        JournalBuffer buffer = onDisk(settings(SyncPolicy.PERIODIC, Duration.ofSeconds(30)));
        CountDownLatch disk = new CountDownLatch(1);
        storage.held.set(disk);
        CompletableFuture<IngestResult> first = buffer.offerDurably(values(0, 1)).toCompletableFuture();
        Thread.sleep(100);
        int syncsBefore = storage.forces.get();

        List<CompletableFuture<IngestResult>> waiting = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            waiting.add(buffer.offerDurably(values(i * 10, i * 10 + 10)).toCompletableFuture());
        }
        disk.countDown();
        first.get(5, TimeUnit.SECONDS);
        CompletableFuture.allOf(waiting.toArray(new CompletableFuture[0])).get(5, TimeUnit.SECONDS);

        assertThat(waiting).allSatisfy(f -> assertThat(f.join().durable()).isTrue());
        assertThat(storage.forces.get() - syncsBefore).as("syncs for 51 offers, the first one's included")
                .isLessThanOrEqualTo(2);
    }

    @Test
    void aFailedSyncCompletesTheOfferRefusedNeverExceptionally() throws Exception {
        JournalBuffer buffer = onDisk(settings(SyncPolicy.PERIODIC, Duration.ofSeconds(30)));
        storage.failing.set(true);

        IngestResult result = buffer.offerDurably(values(0, 10)).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(result.allAccepted()).isFalse();
        assertThat(result.reasonCode()).isEqualTo(RefusalReason.JOURNAL_UNAVAILABLE);
        assertThat(result.reason()).contains("sync to disk failed").contains("offering them again is safe");
        assertThat(buffer.status().diagnosis().reason()).isEqualTo("JOURNAL_UNAVAILABLE");

        storage.failing.set(false);
        IngestResult again = buffer.offerDurably(values(0, 10)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(again.durable()).isTrue();
        assertThat(buffer.status().diagnosis().reason()).isNotEqualTo("JOURNAL_UNAVAILABLE");
    }

    @Test
    void aSyncThreadEndedByAnErrorIsStartedAgainHealthSaysThreadDiedAndDurableOffersGoOn() throws Exception {
        JournalBuffer buffer = onDisk(settings(SyncPolicy.PERIODIC, Duration.ofSeconds(30)));
        storage.dieOnce.set(new Error("an error no one expected, in a test"));

        CompletableFuture<IngestResult> first = buffer.offerDurably(values(0, 10)).toCompletableFuture();
        Await.until("the buffer to say its sync thread died", Duration.ofSeconds(10),
                () -> buffer.status().diagnosis(), d -> d.reason().equals("THREAD_DIED"));

        assertThat(buffer.status().diagnosis().error()).contains("an error no one expected");
        assertThat(first.get(30, TimeUnit.SECONDS).durable()).as("answered once the new sync thread synced")
                .isTrue();
        IngestResult again = buffer.offerDurably(values(10, 20)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(again.durable()).isTrue();
    }

    @Test
    void aSyncThatTakesLongerThanTheTimeoutRefusesTheOfferAndHealthSaysTheJournalIsUnavailable() throws Exception {
        JournalBuffer buffer = onDisk(settings(SyncPolicy.PERIODIC, Duration.ofMillis(300)));
        storage.held.set(new CountDownLatch(1));

        IngestResult result = buffer.offerDurably(values(0, 10)).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(result.reasonCode()).isEqualTo(RefusalReason.JOURNAL_UNAVAILABLE);
        assertThat(result.reason()).contains("longer than 300 ms");
        // The sync thread marks the journal unavailable when it sees the timeout, just after the offer's answer.
        Await.until("health to say the journal is unavailable", Duration.ofSeconds(5),
                () -> buffer.status().diagnosis(), d -> d.reason().equals("JOURNAL_UNAVAILABLE"));
        assertThat(buffer.status().diagnosis().advice()).contains("hangs or is very slow");
    }

    @Test
    void callbacksOnADurableOfferNeverRunOnTheSyncThread() throws Exception {
        JournalBuffer buffer = onDisk(settings(SyncPolicy.PERIODIC, Duration.ofSeconds(30)));
        CountDownLatch disk = new CountDownLatch(1);
        storage.held.set(disk);
        AtomicReference<Thread> ranOn = new AtomicReference<>();

        CompletableFuture<Void> callback = buffer.offerDurably(values(0, 10))
                .thenAccept(r -> ranOn.set(Thread.currentThread())).toCompletableFuture();
        disk.countDown();
        callback.get(5, TimeUnit.SECONDS);

        assertThat(storage.syncThread.get()).isNotNull();
        assertThat(ranOn.get()).isNotSameAs(storage.syncThread.get());
    }

    @Test
    void withTheJournalOffADurableOfferIsAcceptedButNotDurable() throws Exception {
        storage = new FaultyStorage(dir, SEGMENT, SEGMENT * 4L);
        JournalBuffer buffer = JournalBuffer.open(settings(SyncPolicy.PERIODIC, Duration.ofSeconds(30)),
                new HeapStorage(4096), null, () -> null, NOW, Clock.systemUTC());
        opened.add(buffer);
        buffer.open("a", List.of());

        IngestResult result = buffer.offerDurably(values(0, 10)).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(result.allAccepted()).isTrue();
        assertThat(result.durable()).isFalse();
    }

    @Test
    void aBufferThatRefusesAllAnswersJournalUnavailableWithItsAdvice() throws Exception {
        JournalBuffer buffer = onDisk(settings(SyncPolicy.PERIODIC, Duration.ofSeconds(30)));
        buffer.refuseAll(new io.tagbridge.api.pipeline.Diagnosis("JOURNAL_UNAVAILABLE", "free space on the disk",
                "No space left on device"));

        IngestResult plain = buffer.offer(values(0, 1));
        IngestResult durable = buffer.offerDurably(values(1, 2)).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(plain.reasonCode()).isEqualTo(RefusalReason.JOURNAL_UNAVAILABLE);
        assertThat(durable.reasonCode()).isEqualTo(RefusalReason.JOURNAL_UNAVAILABLE);
        assertThat(plain.reason()).contains("free space on the disk");
        assertThat(buffer.status().refused().get(RefusalReason.JOURNAL_UNAVAILABLE)).isEqualTo(2);
        assertThat(buffer.status().diagnosis().reason()).isEqualTo("JOURNAL_UNAVAILABLE");
    }
}
