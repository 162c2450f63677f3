package io.tagbridge.buffer.journal;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Segments on the heap, for a journal that is off: the same records and the same readers, gone when the process
 * ends. Small segments, so that memory is given back as targets catch up.
 */
public final class HeapStorage implements Storage {

    private final int segmentBytes;

    public HeapStorage(int segmentBytes) {
        this.segmentBytes = segmentBytes;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public List<Segment> open(JournalEvents events) {
        return List.of();
    }

    @Override
    public Segment create(long baseSeq, long heldBytes) {
        ByteBuffer buffer = ByteBuffer.allocate(segmentBytes);
        SegmentFormat.writeHeader(buffer, baseSeq, System.currentTimeMillis());
        return new Segment(baseSeq, null, buffer, SegmentFormat.HEADER, baseSeq);
    }

    @Override
    public void delete(Segment segment) {
        // The garbage collector takes it once no reader refers to it.
    }

    @Override
    public void force(Segment segment, int upTo) {
        // Nothing to write: the heap is all there is.
    }

    @Override
    public void forceAll(Segment segment) {
        // Nothing to write: the heap is all there is.
    }

    @Override
    public void markSynced(Segment segment, long syncedAtMicros, int end) {
        // Nothing is ever on disk.
    }

    @Override
    public void keepDamagedCopy(Segment segment) {
        // Heap segments are written and read by this process only; they are never damaged on disk.
    }

    @Override
    public String limitReached(long heldBytes) {
        return null;
    }

    @Override
    public void close() {
        // Nothing to release.
    }
}
