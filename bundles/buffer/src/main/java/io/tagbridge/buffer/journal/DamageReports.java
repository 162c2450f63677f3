package io.tagbridge.buffer.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Damage found in the segments, told to the journal's events once each. Damage in the newest segment found at
 * start, between where its data known on disk ended and where its data found ended, is what an unclean stop costs,
 * not a fault of the disk, and is told as such.
 */
final class DamageReports {

    /** Where the newest segment's data ends: the byte offset and the sequence number there. */
    record End(int at, long seq) {
    }

    private final JournalEvents events;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private Segment newestAtStart;
    private int syncedEndAtStart = Integer.MAX_VALUE;
    private int endAtStart = -1;

    DamageReports(JournalEvents events) {
        this.events = events;
    }

    /**
     * Finds where the newest segment's data ends, at start: skips damage in the middle and cuts off a torn tail,
     * keeping a copy of the segment first.
     */
    End scanNewest(Segment active, Storage storage) throws IOException {
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
            report(active, at, good - at, goodSeq - seq, "damaged records in the middle were skipped");
            seq = goodSeq;
            at = good;
        }
        int tornEnd = zeroTail(buffer, at);
        boolean torn = tornEnd > at;
        if (torn) {
            storage.keepDamagedCopy(active);
            report(active, at, tornEnd - at, 0, "a torn record at the end was cut off");
        }
        endAtStart = at;
        active.publish(at, seq);
        active.foundOnDiskUpTo(at);
        if (torn) {
            storage.forceAll(active);
        }
        return new End(at, seq);
    }

    /** Tells of damage once, however many readers come across it. */
    void report(Segment segment, int offset, long bytes, long values, String what) {
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
}
