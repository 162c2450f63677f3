package io.tagbridge.buffer.journal;

import java.io.IOException;
import java.util.List;

/** Where a journal's segments live: files on disk, or the heap when the journal is off. */
public interface Storage extends AutoCloseable {

    /** Whether what is appended survives the process. */
    boolean persistent();

    /** The segments found at start, oldest first; damaged or foreign ones are reported, kept and left out. */
    List<Segment> open(JournalEvents events) throws IOException;

    /**
     * A new, empty segment for values from {@code baseSeq} on.
     *
     * @param heldBytes the bytes the journal's segments take now
     * @return the segment, or null when a new one may not be added (the journal is at its size limit, or the disk
     *         at its free-space limit)
     * @throws IOException when the segment cannot be created
     */
    Segment create(long baseSeq, long heldBytes) throws IOException;

    /** Removes a segment every target is done with. */
    void delete(Segment segment) throws IOException;

    /**
     * Writes a segment's data up to {@code upTo} to the disk, from where the last force ended.
     *
     * @throws java.io.UncheckedIOException when the disk refuses (the JDK's mapped buffers throw it)
     */
    void force(Segment segment, int upTo) throws IOException;

    /** Writes the whole segment to the disk, as recovery does after repairing it. */
    void forceAll(Segment segment) throws IOException;

    /** Notes in the segment, on disk, that its data up to {@code end} was on disk at {@code syncedAtMicros}. */
    void markSynced(Segment segment, long syncedAtMicros, int end) throws IOException;

    /** Keeps a copy of a damaged segment beside the journal, for the record. */
    void keepDamagedCopy(Segment segment);

    /** Changes the limits; they apply to the next segment. */
    default void limits(long maxBytes, long minFreeBytes, int segmentBytes) {
    }

    /** Why the journal may not grow now, or null when it may. */
    String limitReached(long heldBytes);

    @Override
    void close();
}
