package io.tagbridge.buffer.journal;

import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * One segment of the journal: a fixed-size buffer, memory-mapped from its file (or on the heap when the journal
 * is off), that holds records from {@link #baseSeq} on. The appender writes records and then publishes the new
 * end; readers read only below the published end, so they never see a record half written.
 */
public final class Segment {

    final long baseSeq;
    /** The segment's file; null for a segment on the heap. */
    final Path file;
    final ByteBuffer buffer;
    private volatile int end;
    private volatile long nextSeq;
    /** Data before it is on disk; touched by the sync alone. */
    private int forcedEnd;

    Segment(long baseSeq, Path file, ByteBuffer buffer, int end, long nextSeq) {
        this.baseSeq = baseSeq;
        this.file = file;
        this.buffer = buffer;
        this.end = end;
        this.nextSeq = nextSeq;
        this.forcedEnd = end;
    }

    int capacity() {
        return buffer.capacity();
    }

    /** Where the data ends: readers stop here. */
    int end() {
        return end;
    }

    /** The sequence number after the last value in the segment. */
    long nextSeq() {
        return nextSeq;
    }

    /** Makes records written up to {@code newEnd} visible to readers. */
    void publish(int newEnd, long newNextSeq) {
        nextSeq = newNextSeq;
        end = newEnd;
    }

    /**
     * Asks the operating system to write the segment's data up to {@code upTo} to the disk, and waits until it has.
     * Only what was written since the last call is forced: forcing the whole mapping costs the kernel a walk over
     * every page of it, each time.
     */
    void force(int upTo) {
        if (upTo > forcedEnd && buffer instanceof MappedByteBuffer mapped) {
            mapped.force(forcedEnd, upTo - forcedEnd);
        }
        forcedEnd = Math.max(forcedEnd, upTo);
    }

    /**
     * Recovery found the data up to {@code end} on disk: from then on a force starts there. (A segment opened from
     * disk starts out counting its whole mapping as forced, which only holds for the segments before the newest.)
     */
    void foundOnDiskUpTo(int end) {
        forcedEnd = end;
    }

    /** Forces the whole segment, as recovery does after repairing it; from then on it forces what is new. */
    void forceAll() {
        if (buffer instanceof MappedByteBuffer mapped) {
            mapped.force();
        }
        forcedEnd = end;
    }

    /** Writes the sync mark into the header, and forces it: the data up to {@code end} was on disk at that time. */
    void markSynced(long syncedAtMicros, int syncedEnd) {
        if (buffer instanceof MappedByteBuffer mapped) {
            SegmentFormat.writeSyncMark(mapped, syncedAtMicros, syncedEnd);
            mapped.force(0, SegmentFormat.syncMarkEnd());
        }
    }

    /** The newest sync mark in the header, in microseconds since the epoch; -1 when there is none. */
    long syncedAtMicros() {
        return SegmentFormat.syncedAtMicros(buffer);
    }

    /** Where the data known on disk ended at the last sync, as the header says; see {@link SegmentFormat}. */
    int syncedEnd() {
        return SegmentFormat.syncedEnd(buffer);
    }

    @Override
    public String toString() {
        return file != null ? file.getFileName().toString() : "memory segment from " + baseSeq;
    }
}
