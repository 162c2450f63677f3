package io.tagbridge.buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.tagbridge.buffer.journal.FileStorage;
import io.tagbridge.buffer.journal.JournalEvents;
import io.tagbridge.buffer.journal.Segment;
import io.tagbridge.buffer.journal.Storage;

/**
 * Segments on disk whose syncs a test can count, fail (as a disk that reports an error does), hold (as a disk
 * that hangs does) or end with an error once, and which notes which thread synced.
 */
final class FaultyStorage implements Storage {

    private final FileStorage disk;
    final AtomicInteger forces = new AtomicInteger();
    final AtomicBoolean failing = new AtomicBoolean();
    final AtomicReference<CountDownLatch> held = new AtomicReference<>();
    final AtomicReference<Thread> syncThread = new AtomicReference<>();
    /** Thrown once, by the next sync, as an unexpected error would end the thread that syncs. */
    final AtomicReference<Error> dieOnce = new AtomicReference<>();

    FaultyStorage(Path directory, int segmentBytes, long maxBytes) {
        this.disk = new FileStorage(directory, segmentBytes, maxBytes, 0);
    }

    @Override
    public void force(Segment segment, int upTo) throws IOException {
        syncThread.set(Thread.currentThread());
        CountDownLatch hold = held.get();
        if (hold != null) {
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failing.get()) {
            throw new UncheckedIOException(new IOException("Input/output error"));
        }
        Error death = dieOnce.getAndSet(null);
        if (death != null) {
            throw death;
        }
        forces.incrementAndGet();
        disk.force(segment, upTo);
    }

    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public List<Segment> open(JournalEvents events) throws IOException {
        return disk.open(events);
    }

    @Override
    public Segment create(long baseSeq, long heldBytes) throws IOException {
        return disk.create(baseSeq, heldBytes);
    }

    @Override
    public void delete(Segment segment) throws IOException {
        disk.delete(segment);
    }

    @Override
    public void forceAll(Segment segment) throws IOException {
        disk.forceAll(segment);
    }

    @Override
    public void markSynced(Segment segment, long syncedAtMicros, int end) throws IOException {
        disk.markSynced(segment, syncedAtMicros, end);
    }

    @Override
    public void keepDamagedCopy(Segment segment) {
        disk.keepDamagedCopy(segment);
    }

    @Override
    public String limitReached(long heldBytes) {
        return disk.limitReached(heldBytes);
    }

    @Override
    public void close() {
        disk.close();
    }
}
