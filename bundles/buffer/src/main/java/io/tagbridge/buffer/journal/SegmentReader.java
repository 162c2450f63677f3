package io.tagbridge.buffer.journal;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.function.LongUnaryOperator;
import java.util.function.Predicate;

import io.tagbridge.api.pipeline.ReceivedValue;

/**
 * Reads values out of the journal's segments for a reader's position, record by record, past damage. It touches
 * only the segments it is given; the journal holds the lock that keeps them mapped.
 */
final class SegmentReader {

    /** Told of each stretch of damaged records read past, with the values lost in it. */
    interface Damage {
        void skipped(Segment segment, int offset, long bytes, long values);
    }

    private SegmentReader() {
    }

    /** Moves {@code p} to {@code seq}, or to the oldest value kept if that one is gone. */
    static void locate(Segment[] current, Position p, long seq) {
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
     * Reads values from {@code p} on into {@code sink}, up to {@code max} that pass {@code filter}, stopping before
     * sequence {@code until}; damage met on the way is skipped, told to {@code damage}, and its values counted in
     * the position as lost. The caller holds the segments' read lock.
     */
    static int read(Segment[] current, Position p, Collection<? super ReceivedValue> sink, int max,
            Predicate<String> filter, long until, Damage damage) {
        if (p.segment == null || indexOf(current, p.segment) < 0) {
            long want = p.seq;
            locate(current, p, want);
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
                    damage.skipped(segment, at, end - at, lost);
                    if (newest) {
                        p.offset = end;
                        break;
                    }
                    moveToNext(p, current); // counts the values lost up to the next segment
                    continue;
                }
                long goodSeq = RecordScan.seq(buffer, good);
                damage.skipped(segment, at, good - at, goodSeq - p.seq);
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

    static int indexOf(Segment[] current, Segment segment) {
        for (int i = 0; i < current.length; i++) {
            if (current[i] == segment) {
                return i;
            }
        }
        return -1;
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
     * The sequence number of the first value from {@code fromSeq} on that was accepted at or after the time
     * {@code cutoff} gives for its sequence number, walking record headers only. At damage it stops, so that
     * nothing past what it could read is taken for old; {@code nextSeq} when every value was accepted earlier.
     */
    static long firstReceivedFrom(Segment[] current, long fromSeq, LongUnaryOperator cutoff, long nextSeq) {
        Position p = new Position();
        locate(current, p, fromSeq);
        long recordStart = p.seq - p.index;
        int at = p.offset;
        for (int i = indexOf(current, p.segment); i < current.length; i++) {
            Segment segment = current[i];
            ByteBuffer buffer = segment.buffer;
            int end = segment.end();
            while (at + SegmentFormat.RECORD_HEADER <= end && buffer.getInt(at) != 0) {
                if (!RecordScan.valid(buffer, at, recordStart, end)) {
                    return Math.max(fromSeq, recordStart);
                }
                long rseq = RecordScan.seq(buffer, at);
                if (buffer.getLong(at + 16) >= cutoff.applyAsLong(rseq)) {
                    return Math.max(fromSeq, rseq);
                }
                recordStart = rseq + RecordScan.count(buffer, at);
                at = RecordScan.next(buffer, at);
            }
            if (i + 1 < current.length) {
                at = SegmentFormat.HEADER;
                recordStart = current[i + 1].baseSeq;
            }
        }
        return Math.max(fromSeq, Math.min(nextSeq, recordStart));
    }

    /** When the value at the position was accepted, in microseconds; -1 when there is no value there. */
    static long receivedAt(Segment[] current, Position p) {
        Segment s = p.segment;
        if (s == null || indexOf(current, s) < 0) {
            return -1;
        }
        int end = s.end();
        if (p.offset + SegmentFormat.RECORD_HEADER > end || s.buffer.getInt(p.offset) == 0) {
            return -1;
        }
        return s.buffer.getLong(p.offset + 16);
    }

    /** The data bytes from the position to the end of the newest segment. */
    static long bytesFrom(Segment[] current, Position p) {
        int i = Math.max(0, indexOf(current, p.segment));
        long bytes = 0;
        for (int k = i; k < current.length; k++) {
            Segment s = current[k];
            int from = k == i && s == p.segment ? p.offset : SegmentFormat.HEADER;
            bytes += Math.max(0, s.end() - from);
        }
        return bytes;
    }

    /** When the newest value in the segments was accepted, in microseconds since the epoch; -1 when none holds one. */
    static long newestReceived(Segment[] current) {
        for (int i = current.length - 1; i >= 0; i--) {
            long received = lastReceived(current[i]);
            if (received >= 0) {
                return received;
            }
        }
        return -1;
    }

    /** The sequence number after the last value of the segment that holds {@code seq}. */
    static long endOfSegmentAt(Segment[] current, long seq, long nextSeq) {
        for (int i = current.length - 1; i >= 0; i--) {
            if (current[i].baseSeq <= seq) {
                return i == current.length - 1 ? nextSeq : current[i + 1].baseSeq;
            }
        }
        return current.length > 1 ? current[1].baseSeq : nextSeq;
    }
}
