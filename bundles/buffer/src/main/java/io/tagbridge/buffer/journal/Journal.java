package io.tagbridge.buffer.journal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongUnaryOperator;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.ReceivedValue;

/**
 * An append-only log of tag values in segments, each value numbered by a sequence that never repeats. One offer
 * is one record, so it is in the journal whole or not at all, even across a crash (its CRC32C says which).
 *
 * <p>Appends take one lock and copy the values straight into the active segment. Readers need no lock against
 * the appender: they read only what has been published. Segments are deleted only under the segments' write
 * lock, which every read holds for reading, so that no reader ever touches an unmapped segment.
 */
public final class Journal implements AutoCloseable {

    /** What became of an append. */
    public enum Appended { OK, FULL, TOO_LARGE, UNENCODABLE }

    private final Storage storage;
    private final JournalEvents events;
    private final DamageReports damage;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final ReentrantReadWriteLock segmentsLock = new ReentrantReadWriteLock();
    private volatile Segment[] segments;
    private Segment active;
    private int writeAt;
    private volatile long nextSeq;
    private final List<Segment> unforced = new ArrayList<>();
    /** Where the last force ended, for its sync mark; touched by the sync thread alone. */
    private Segment lastForced;
    private int lastForcedEnd;
    private volatile long heldBytes;
    private volatile boolean closed;

    private Journal(Storage storage, JournalEvents events) {
        this.storage = storage;
        this.events = events;
        this.damage = new DamageReports(events);
    }

    /**
     * Opens the journal in its storage: finds its segments, checks the newest one record by record, cuts off a
     * torn tail and skips damage. Never refuses to start: what cannot be read is reported and kept aside.
     *
     * @param firstSeq where numbering starts when the storage holds no segment
     */
    public static Journal open(Storage storage, JournalEvents events, long firstSeq) throws IOException {
        Journal journal = new Journal(storage, events);
        journal.recover(firstSeq);
        return journal;
    }

    private void recover(long firstSeq) throws IOException {
        List<Segment> found = new ArrayList<>(storage.open(events));
        if (found.isEmpty()) {
            Segment first = storage.create(firstSeq, 0);
            if (first == null) {
                throw new IOException("no room for the journal's first segment: "
                        + storage.limitReached(0));
            }
            found.add(first);
            active = first;
            writeAt = SegmentFormat.HEADER;
            nextSeq = firstSeq;
        } else {
            for (int i = 0; i < found.size() - 1; i++) {
                found.get(i).publish(found.get(i).capacity(), found.get(i + 1).baseSeq);
            }
            active = found.get(found.size() - 1);
            DamageReports.End end = damage.scanNewest(active, storage);
            writeAt = end.at();
            nextSeq = end.seq();
        }
        segments = found.toArray(new Segment[0]);
        heldBytes = found.stream().mapToLong(Segment::capacity).sum();
    }

    /** Damage a reader read past: reported once, and its segment copied aside. */
    private void skipped(Segment segment, int offset, long bytes, long values) {
        damage.report(segment, offset, bytes, values, "damaged records were skipped");
        storage.keepDamagedCopy(segment);
    }

    /**
     * Appends values as one record.
     *
     * @param out receives the sequence number of the first value when the append succeeds
     */
    public Appended append(List<TagValue> values, long receivedMicros, long[] out) throws IOException {
        int size = SegmentFormat.maxRecordSize(values);
        if (size < 0) {
            return Appended.UNENCODABLE;
        }
        if (size > maxRecordBytes()) {
            return Appended.TOO_LARGE;
        }
        appendLock.lock();
        try {
            if (closed) {
                throw new IOException("the journal is closed");
            }
            if (active.capacity() - writeAt < size && !rotate()) {
                return Appended.FULL;
            }
            long seq = nextSeq;
            writeAt = SegmentFormat.writeRecord(active.buffer, writeAt, seq, receivedMicros, values);
            nextSeq = seq + values.size();
            active.publish(writeAt, nextSeq);
            out[0] = seq;
            return Appended.OK;
        } finally {
            appendLock.unlock();
        }
    }

    /** The largest record a segment takes. */
    public int maxRecordBytes() {
        return active.capacity() - SegmentFormat.HEADER;
    }

    private boolean rotate() throws IOException {
        Segment next = storage.create(nextSeq, heldBytes);
        if (next == null) {
            return false;
        }
        Segment sealed = active;
        sealed.publish(writeAt, nextSeq);
        if (storage.persistent()) {
            synchronized (unforced) {
                unforced.add(sealed);
            }
        }
        active = next;
        writeAt = SegmentFormat.HEADER;
        segmentsLock.writeLock().lock();
        try {
            Segment[] grown = Arrays.copyOf(segments, segments.length + 1);
            grown[grown.length - 1] = next;
            segments = grown;
            heldBytes += next.capacity();
        } finally {
            segmentsLock.writeLock().unlock();
        }
        return true;
    }

    /** The sequence number the next value will get. */
    public long nextSeq() {
        return nextSeq;
    }

    /** The sequence number of the oldest value still kept. */
    public long firstSeq() {
        return segments[0].baseSeq;
    }

    /** The sequence number after the last value of the segment that holds {@code seq}. */
    public long endOfSegmentAt(long seq) {
        return SegmentReader.endOfSegmentAt(segments, seq, nextSeq);
    }

    /** The bytes the journal's segments take. */
    public long heldBytes() {
        return heldBytes;
    }

    public boolean persistent() {
        return storage.persistent();
    }

    /** Changes the storage's limits in place; a smaller maximum makes the buffer spill down to it. */
    public void limits(long maxBytes, long minFreeBytes, int segmentBytes) {
        storage.limits(maxBytes, minFreeBytes, segmentBytes);
    }

    /** Why the journal may not grow now, or null. */
    public String limitReached() {
        return storage.limitReached(heldBytes);
    }

    /**
     * Writes everything appended so far to the disk: what was added to the newest segment since the last sync, and
     * segments sealed since then. Holds the segments' read lock, so that no segment is deleted (and unmapped)
     * while it is being synced. Only the sync thread calls it.
     *
     * @return the sequence number every value before which is now on disk; -1 when the journal is closed
     * @throws java.io.UncheckedIOException when the disk refuses; nothing is taken as synced then, and the next
     *                                      call tries the same data again
     */
    public long force() throws IOException {
        Segment current;
        int end;
        long seq;
        appendLock.lock();
        try {
            current = active;
            end = writeAt;
            seq = nextSeq;
        } finally {
            appendLock.unlock();
        }
        // Only now: a segment sealed before the end above was read is in the list (the seal adds it under the
        // append lock). Taken the other way round, a rollover in between left the sealed tail unforced while
        // the sequence number claimed it.
        List<Segment> toForce;
        synchronized (unforced) {
            toForce = new ArrayList<>(unforced);
            unforced.clear();
        }
        segmentsLock.readLock().lock();
        try {
            if (closed) {
                return -1;
            }
            Segment[] kept = segments;
            for (int i = 0; i < toForce.size(); i++) {
                Segment segment = toForce.get(i);
                try {
                    if (SegmentReader.indexOf(kept, segment) >= 0) {
                        storage.force(segment, segment.end());
                    }
                } catch (IOException | RuntimeException e) {
                    synchronized (unforced) {
                        unforced.addAll(0, toForce.subList(i, toForce.size()));
                    }
                    throw e;
                }
            }
            storage.force(current, end);
            lastForced = current;
            lastForcedEnd = end;
            return seq;
        } finally {
            segmentsLock.readLock().unlock();
        }
    }

    /**
     * Notes on disk, in the segment the last {@link #force()} ended in, that its data was on disk as of
     * {@code syncedAtMicros}: the time taken before that force began. After a power cut, every value accepted
     * before it is known to be there.
     */
    public void markSynced(long syncedAtMicros) throws IOException {
        segmentsLock.readLock().lock();
        try {
            Segment segment = lastForced;
            if (closed || segment == null || SegmentReader.indexOf(segments, segment) < 0) {
                return;
            }
            storage.markSynced(segment, syncedAtMicros, lastForcedEnd);
        } finally {
            segmentsLock.readLock().unlock();
        }
    }

    /** The newest sync mark found in the segments, in microseconds since the epoch; -1 when there is none. */
    public long lastSyncMarkMicros() {
        segmentsLock.readLock().lock();
        try {
            long newest = -1;
            for (Segment segment : segments) {
                newest = Math.max(newest, segment.syncedAtMicros());
            }
            return newest;
        } finally {
            segmentsLock.readLock().unlock();
        }
    }

    /** When the newest value the journal holds was accepted, in microseconds since the epoch; -1 when it is empty. */
    public long newestReceivedMicros() {
        return reading(-1, SegmentReader::newestReceived);
    }

    /** What {@code read} finds in the segments, under the read lock; {@code whenClosed} once the journal closed. */
    private long reading(long whenClosed, ToLongFunction<Segment[]> read) {
        segmentsLock.readLock().lock();
        try {
            return closed ? whenClosed : read.applyAsLong(segments);
        } finally {
            segmentsLock.readLock().unlock();
        }
    }

    /**
     * Deletes the segments whose values all come before {@code seq}; the newest segment always stays.
     *
     * @return how many were deleted
     */
    public int releaseBefore(long seq) throws IOException {
        List<Segment> released = new ArrayList<>();
        segmentsLock.writeLock().lock();
        try {
            Segment[] current = segments;
            int keepFrom = 0;
            while (keepFrom < current.length - 1 && current[keepFrom + 1].baseSeq <= seq) {
                released.add(current[keepFrom]);
                keepFrom++;
            }
            if (released.isEmpty()) {
                return 0;
            }
            segments = Arrays.copyOfRange(current, keepFrom, current.length);
            heldBytes -= released.stream().mapToLong(Segment::capacity).sum();
            synchronized (unforced) {
                unforced.removeAll(released);
            }
            for (Segment segment : released) {
                storage.delete(segment);
            }
        } finally {
            segmentsLock.writeLock().unlock();
        }
        return released.size();
    }

    /** A position at {@code seq}, or at the oldest value kept if that one is gone. */
    public Position position(long seq) {
        segmentsLock.readLock().lock();
        try {
            Position p = new Position();
            SegmentReader.locate(segments, p, seq);
            return p;
        } finally {
            segmentsLock.readLock().unlock();
        }
    }

    /**
     * Reads values from {@code from} on into {@code sink}, up to {@code max} that pass {@code filter} (values that
     * do not pass are read past, not handed out), and moves the position past them.
     *
     * @return how many values went into the sink
     */
    public int read(Position from, Collection<? super ReceivedValue> sink, int max, Predicate<String> filter) {
        return readUntil(from, sink, max, filter, Long.MAX_VALUE);
    }

    /** As {@link #read}, but stops before sequence {@code until}. */
    public int readUntil(Position from, Collection<? super ReceivedValue> sink, int max, Predicate<String> filter,
            long until) {
        return (int) reading(0, s -> SegmentReader.read(s, from, sink, max, filter, until, this::skipped));
    }

    /**
     * The sequence number of the first value from {@code fromSeq} on accepted at or after the time (microseconds)
     * that {@code cutoff} gives for its sequence number: the values before it are older. Stops at damage.
     */
    public long firstReceivedFrom(long fromSeq, LongUnaryOperator cutoff) {
        return reading(fromSeq, s -> fromSeq >= nextSeq ? fromSeq
                : SegmentReader.firstReceivedFrom(s, fromSeq, cutoff, nextSeq));
    }

    /** When the value at the position was accepted, in microseconds; -1 when there is no value there yet. */
    public long receivedAt(Position p) {
        return reading(-1, s -> p.seq >= nextSeq ? -1 : SegmentReader.receivedAt(s, p));
    }

    /** The bytes from the position to the end of the data: the backlog's size on disk. */
    public long bytesFrom(Position p) {
        return reading(0, s -> SegmentReader.bytesFrom(s, p));
    }

    @Override
    public void close() {
        appendLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            appendLock.unlock();
        }
        segmentsLock.writeLock().lock();
        try {
            storage.close();
        } finally {
            segmentsLock.writeLock().unlock();
        }
    }
}
