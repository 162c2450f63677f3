package io.tagbridge.buffer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.tagbridge.api.IngestResult;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.TargetCursor;
import io.tagbridge.benchmarks.BenchFixtures;
import io.tagbridge.buffer.journal.FileStorage;
import io.tagbridge.buffer.journal.HeapStorage;

/** The real buffer as the buffer component builds it, for benchmarks outside OSGi. */
public final class BenchBuffer implements AutoCloseable {

    private final JournalBuffer buffer;

    private BenchBuffer(JournalBuffer buffer) {
        this.buffer = buffer;
    }

    /** The journal on disk in {@code directory}, with the gateway's defaults and the given sync policy. */
    public static BenchBuffer journal(Path directory, SyncPolicy sync) throws IOException {
        return journal(directory, sync, BufferSettings.defaults().maxBytes());
    }

    /** The journal on disk, at most {@code maxBytes}. */
    public static BenchBuffer journal(Path directory, SyncPolicy sync, long maxBytes) throws IOException {
        BufferSettings d = BufferSettings.defaults();
        BufferSettings s = new BufferSettings(true, "", maxBytes, 0, d.segmentBytes(), sync, d.syncInterval(),
                d.capacity(), d.policy(), TimeUnit.SECONDS.toNanos(60), d.releaseDeletedAfter());
        return new BenchBuffer(JournalBuffer.open(s, new FileStorage(directory, s.segmentBytes(), s.maxBytes(), 0),
                directory, () -> BenchFixtures.NO_BACKUP, () -> ReceivedValue.micros(Instant.now()),
                Clock.systemUTC()));
    }

    /** The journal off: the same structure on the heap, capacity 100,000 values. */
    public static BenchBuffer memory() throws IOException {
        BufferSettings d = BufferSettings.defaults();
        BufferSettings s = new BufferSettings(false, "", d.maxBytes(), 0, d.segmentBytes(), d.sync(), d.syncInterval(),
                d.capacity(), d.policy(), TimeUnit.SECONDS.toNanos(60), d.releaseDeletedAfter());
        return new BenchBuffer(JournalBuffer.open(s, new HeapStorage(256 << 10), null,
                () -> BenchFixtures.NO_BACKUP, () -> ReceivedValue.micros(Instant.now()), Clock.systemUTC()));
    }

    public IngestResult offer(List<TagValue> values) {
        return buffer.offer(values);
    }

    /** A driver's durable offer, waited for: it returns once the values are on disk. */
    public IngestResult offerDurably(List<TagValue> values) {
        return buffer.offerDurably(values).toCompletableFuture().join();
    }

    public TargetCursor open(String target) {
        return buffer.open(target, List.of());
    }

    @Override
    public void close() {
        buffer.close();
    }
}
