package io.tagbridge.buffer.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;

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
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    /**
     * The newest segment found at start, and where its data known on disk and its data found ended then: damage
     * between the two is what an unclean stop costs, not a fault of the disk.
     */
    private Segment newestAtStart;
    private int syncedEndAtStart = Integer.MAX_VALUE;
    private int endAtStart = -1;
    private volatile long heldBytes;
    private volatile boolean closed;

    private Journal(Storage storage, JournalEvents events) {
        this.storage = storage;
        this.events = events;
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
            scanActive();
        }
        segments = found.toArray(new Segment[0]);
        heldBytes = found.stream().mapToLong(Segment::capacity).sum();
    }

    /** Finds where the newest segment's data ends, skipping damage and cutting off a torn tail. */
    private void scanActive() throws IOException {
        newestAtStart = active;
        syncedEndAtStart = active.syncedEnd();
        ByteBuffer buffer = active.buffer;
        int capacity = active.capacity();
        int at = SegmentFormat.HEADER;
        long seq = active.baseSeq;
        while (at + SegmentFormat.RECORD_HEADER <= capacity) {
            if (RecordScan.valid(buffer, at, seq, capacity)) {
                seq = RecordScan.seq(buffer, at) + RecordScan.count(buffer, at);
                at = RecordScan.next(buffer, at);
                continue;
            }
            int good = RecordScan.resync(buffer, at, seq, capacity);
            if (good < 0) {
                break;
            }
            long goodSeq = RecordScan.seq(buffer, good);
            storage.keepDamagedCopy(active);
            damaged(active, at, good - at, goodSeq - seq, "damaged records in the middle were skipped");
            seq = goodSeq;
            at = good;
        }
        int tornEnd = zeroTail(buffer, at);
        boolean torn = tornEnd > at;
        if (torn) {
            storage.keepDamagedCopy(active);
            damaged(active, at, tornEnd - at, 0, "a torn record at the end was cut off");
        }
        endAtStart = at;
        active.publish(at, seq);
        active.foundOnDiskUpTo(at);
        if (torn) {
            storage.forceAll(active);
        }
        writeAt = at;
        nextSeq = seq;
    }

    /** Reports damage once, however many readers come across it. */
    private void damaged(Segment segment, int offset, long bytes, long values, String what) {
        if (reported.add(segment.baseSeq + ":" + offset)) {
            events.damaged(segment, offset, bytes, values, what,
                    segment == newestAtStart && offset >= syncedEndAtStart
                            && (endAtStart < 0 || offset <= endAtStart));
        }
    }

    /**
     * Zero-fills what follows the last good record, so that nothing torn is read again.
     *
     * @return where the torn bytes ended (after the last byte that was not zero), or {@code from} when there were
     *         none: the damage counted is what was written, not the rest of the segment
     */
    private static int zeroTail(ByteBuffer buffer, int from) {
        int end = from;
        for (int i = from; i < buffer.capacity(); i++) {
            if (buffer.get(i) != 0) {
                end = i + 1;
                buffer.put(i, (byte) 0);
            }
        }
        return end;
    }

    /**
     * Appends values as one record.
     *
     * @param out receives the sequence number of the first value when the append succeeds
     */
    public Appended append(List<TagValue> values, long receivedMicros, long[] out) throws IOException {
        int size = SegmentFormat.RECORD_HEADER;
        for (int i = 0; i < values.size(); i++) {
            int valueSize = ValueCodec.maxSize(values.get(i));
            if (valueSize < 0) {
                return Appended.UNENCODABLE;
            }
            size += valueSize;
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
            ByteBuffer buffer = active.buffer;
            int at = writeAt;
            int p = at + SegmentFormat.RECORD_HEADER;
            for (int i = 0; i < values.size(); i++) {
                p = ValueCodec.write(buffer, p, values.get(i));
            }
            int length = p - at - SegmentFormat.BODY;
            buffer.putLong(at + 8, seq);
            buffer.putLong(at + 16, receivedMicros);
            buffer.putInt(at + 24, values.size());
            buffer.putInt(at + 28, 0);
            buffer.putInt(at, length);
            buffer.putInt(at + 4, SegmentFormat.recordCrc(buffer, at, length));
            writeAt = SegmentFormat.align(p);
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
        Segment[] current = segments;
        for (int i = current.length - 1; i >= 0; i--) {
            if (current[i].baseSeq <= seq) {
                return i == current.length - 1 ? nextSeq : current[i + 1].baseSeq;
            }
        }
        return current.length > 1 ? current[1].baseSeq : nextSeq;
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
                    if (indexOf(kept, segment) >= 0) {
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
            if (closed || segment == null || indexOf(segments, segment) < 0) {
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
        segmentsLock.readLock().lock();
        try {
            Segment[] current = segments;
            for (int i = current.length - 1; i >= 0; i--) {
                long received = lastReceived(current[i]);
                if (received >= 0) {
                    return received;
                }
            }
            return -1;
        } finally {
            segmentsLock.readLock().unlock();
        }
    }

    /**
     * The acceptance time of a segment's last good record, walking record headers only and past damage, as
     * readers do; -1 when it has none.
     */
    private static long lastReceived(Segment segment) {
        ByteBuffer buffer = segment.buffer;
        int end = segment.end();
        int at = SegmentFormat.HEADER;
        long seq = segment.baseSeq;
        long received = -1;
        while (at + SegmentFormat.RECORD_HEADER <= end) {
            if (RecordScan.valid(buffer, at, seq, end)) {
                received = buffer.getLong(at + 16);
                seq = RecordScan.seq(buffer, at) + RecordScan.count(buffer, at);
                at = RecordScan.next(buffer, at);
                continue;
            }
            int good = RecordScan.resync(buffer, at, seq, end);
            if (good < 0) {
                break;
            }
            seq = RecordScan.seq(buffer, good);
            at = good;
        }
        return received;
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

    /** A place in the journal a reader has come to. Not thread-safe: each reader has its own. */
    public static final class Position {
        Segment segment;
        int offset;
        int index;
        long seq;
        long lost;

        /** The sequence number of the next value to read. */
        public long seq() {
            return seq;
        }

        /** Values found lost to damage since the last call, to be counted by whoever reads. */
        public long takeLost() {
            long n = lost;
            lost = 0;
            return n;
        }

        /** A copy, to read ahead without moving this one. */
        public Position copy() {
            Position p = new Position();
            p.segment = segment;
            p.offset = offset;
            p.index = index;
            p.seq = seq;
            return p;
        }

        @Override
        public String toString() {
            return "seq " + seq + " in " + segment + " at " + offset + "+" + index;
        }
    }

    /** A position at {@code seq}, or at the oldest value kept if that one is gone. */
    public Position position(long seq) {
        segmentsLock.readLock().lock();
        try {
            Position p = new Position();
            locate(p, seq);
            return p;
        } finally {
            segmentsLock.readLock().unlock();
        }
    }

    private void locate(Position p, long seq) {
        Segment[] current = segments;
        Segment found = current[0];
        for (Segment s : current) {
            if (s.baseSeq <= seq) {
                found = s;
            }
        }
        p.segment = found;
        p.offset = SegmentFormat.HEADER;
        p.index = 0;
        p.seq = found.baseSeq;
        if (seq <= found.baseSeq) {
            return;
        }
        ByteBuffer buffer = found.buffer;
        int end = found.end();
        while (p.offset + SegmentFormat.RECORD_HEADER <= end && buffer.getInt(p.offset) != 0) {
            long rseq = RecordScan.seq(buffer, p.offset);
            int count = RecordScan.count(buffer, p.offset);
            if (seq < rseq + count) {
                p.index = (int) Math.max(0, seq - rseq);
                p.seq = Math.max(seq, rseq);
                return;
            }
            p.seq = rseq + count;
            p.offset = RecordScan.next(buffer, p.offset);
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
        segmentsLock.readLock().lock();
        try {
            if (closed) {
                return 0;
            }
            return readLocked(from, sink, max, filter, until);
        } finally {
            segmentsLock.readLock().unlock();
        }
    }

    private int readLocked(Position p, Collection<? super ReceivedValue> sink, int max, Predicate<String> filter,
            long until) {
        Segment[] current = segments;
        if (p.segment == null || indexOf(current, p.segment) < 0) {
            long want = p.seq;
            locate(p, want);
            if (p.seq > want) {
                p.lost += p.seq - want;
            }
        }
        int n = 0;
        while (n < max) {
            Segment segment = p.segment;
            boolean newest = segment == current[current.length - 1];
            int end = segment.end();
            ByteBuffer buffer = segment.buffer;
            int at = p.offset;
            long recordStart = p.seq - p.index;
            if (newest && at >= end || p.seq >= until) {
                break;
            }
            boolean noRecord = at + SegmentFormat.RECORD_HEADER > end || buffer.getInt(at) == 0;
            if (!newest && noRecord && p.seq >= segment.nextSeq()) {
                moveToNext(p, current);
                continue;
            }
            if (noRecord || !RecordScan.valid(buffer, at, recordStart, end)) {
                int good = noRecord && at + SegmentFormat.RECORD_HEADER > end ? -1
                        : RecordScan.resync(buffer, at, recordStart, end);
                if (good < 0) {
                    long lost = newest ? 0 : segment.nextSeq() - p.seq;
                    damaged(segment, at, end - at, lost, "damaged records were skipped");
                    storage.keepDamagedCopy(segment);
                    if (newest) {
                        p.offset = end;
                        break;
                    }
                    moveToNext(p, current); // counts the values lost up to the next segment
                    continue;
                }
                long goodSeq = RecordScan.seq(buffer, good);
                damaged(segment, at, good - at, goodSeq - p.seq, "damaged records were skipped");
                storage.keepDamagedCopy(segment);
                p.lost += goodSeq - p.seq;
                p.offset = good;
                p.index = 0;
                p.seq = goodSeq;
                continue;
            }
            long rseq = RecordScan.seq(buffer, at);
            int count = RecordScan.count(buffer, at);
            long received = buffer.getLong(at + 16);
            if (rseq > recordStart) {
                p.lost += rseq - p.seq;
                p.seq = rseq;
                p.index = 0;
            }
            int v = at + SegmentFormat.RECORD_HEADER;
            for (int k = 0; k < p.index; k++) {
                v = ValueCodec.skip(buffer, v);
            }
            while (p.index < count && n < max && p.seq < until) {
                if (filter == null || filter.test(ValueCodec.tagName(buffer, v))) {
                    ValueCodec.Read read = ValueCodec.read(buffer, v);
                    sink.add(new ReceivedValue(read.value(), received));
                    v = read.next();
                    n++;
                } else {
                    v = ValueCodec.skip(buffer, v);
                }
                p.index++;
                p.seq++;
            }
            if (p.index == count) {
                p.offset = RecordScan.next(buffer, at);
                p.index = 0;
            }
        }
        return n;
    }

    private static void moveToNext(Position p, Segment[] current) {
        int i = indexOf(current, p.segment);
        Segment next = current[i + 1];
        if (p.seq < next.baseSeq) {
            p.lost += next.baseSeq - p.seq;
        }
        p.segment = next;
        p.offset = SegmentFormat.HEADER;
        p.index = 0;
        p.seq = next.baseSeq;
    }

    private static int indexOf(Segment[] current, Segment segment) {
        for (int i = 0; i < current.length; i++) {
            if (current[i] == segment) {
                return i;
            }
        }
        return -1;
    }

    /** When the value at the position was accepted, in microseconds; -1 when there is no value there yet. */
    public long receivedAt(Position p) {
        segmentsLock.readLock().lock();
        try {
            Segment s = p.segment;
            if (closed || s == null || indexOf(segments, s) < 0 || p.seq >= nextSeq) {
                return -1;
            }
            int end = s.end();
            if (p.offset + SegmentFormat.RECORD_HEADER > end || s.buffer.getInt(p.offset) == 0) {
                return -1;
            }
            return s.buffer.getLong(p.offset + 16);
        } finally {
            segmentsLock.readLock().unlock();
        }
    }

    /** The bytes from the position to the end of the data: the backlog's size on disk. */
    public long bytesFrom(Position p) {
        segmentsLock.readLock().lock();
        try {
            if (closed) {
                return 0;
            }
            Segment[] current = segments;
            int i = Math.max(0, indexOf(current, p.segment));
            long bytes = 0;
            for (int k = i; k < current.length; k++) {
                Segment s = current[k];
                int from = k == i && s == p.segment ? p.offset : SegmentFormat.HEADER;
                int to = s.end();
                bytes += Math.max(0, to - from);
            }
            return bytes;
        } finally {
            segmentsLock.readLock().unlock();
        }
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
