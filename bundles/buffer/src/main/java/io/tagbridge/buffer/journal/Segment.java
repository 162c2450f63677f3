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

    Segment(long baseSeq, Path file, ByteBuffer buffer, int end, long nextSeq) {
        this.baseSeq = baseSeq;
        this.file = file;
        this.buffer = buffer;
        this.end = end;
        this.nextSeq = nextSeq;
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

    /** Asks the operating system to write the segment's changed pages to the disk, and waits until it has. */
    void force() {
        if (buffer instanceof MappedByteBuffer mapped) {
            mapped.force();
        }
    }

    @Override
    public String toString() {
        return file != null ? file.getFileName().toString() : "memory segment from " + baseSeq;
    }
}
