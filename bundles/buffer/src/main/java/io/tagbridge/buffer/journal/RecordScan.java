package io.tagbridge.buffer.journal;

import java.nio.ByteBuffer;

/**
 * Finds the records of a segment and checks each one: its length is possible, its CRC32C matches, and its
 * sequence number follows the one before. Where a record fails, it looks for the next good one, so that damage
 * in the middle costs only the damaged records.
 */
final class RecordScan {

    /** The smallest record: a header and one value with a one-character tag. */
    private static final int MIN_LENGTH = SegmentFormat.RECORD_HEADER - SegmentFormat.BODY + 13;

    private RecordScan() {
    }

    /**
     * Checks the record at {@code at}.
     *
     * @param minSeq the lowest sequence number the record may have
     * @param limit  where the segment's data may end at the latest
     * @return true when a whole, undamaged record with a fitting sequence number is there
     */
    static boolean valid(ByteBuffer segment, int at, long minSeq, int limit) {
        if (at < SegmentFormat.HEADER || at + SegmentFormat.RECORD_HEADER > limit) {
            return false;
        }
        int length = segment.getInt(at);
        if (length < MIN_LENGTH || length > limit - at - SegmentFormat.BODY) {
            return false;
        }
        int count = segment.getInt(at + 24);
        long seq = segment.getLong(at + 8);
        if (count < 1 || count > length / 13 || seq < minSeq) {
            return false;
        }
        return segment.getInt(at + 4) == SegmentFormat.recordCrc(segment, at, length);
    }

    /** Where the record after the one at {@code at} starts. */
    static int next(ByteBuffer segment, int at) {
        return SegmentFormat.align(at + SegmentFormat.BODY + segment.getInt(at));
    }

    static long seq(ByteBuffer segment, int at) {
        return segment.getLong(at + 8);
    }

    static int count(ByteBuffer segment, int at) {
        return segment.getInt(at + 24);
    }

    /**
     * Looks for the next good record after a damaged one, at each 8-byte boundary after {@code from}.
     *
     * @return its position, or -1 when there is none before {@code limit}
     */
    static int resync(ByteBuffer segment, int from, long minSeq, int limit) {
        for (int at = SegmentFormat.align(from + 1); at + SegmentFormat.RECORD_HEADER <= limit; at += 8) {
            if (segment.getInt(at) != 0 && valid(segment, at, minSeq, limit)) {
                return at;
            }
        }
        return -1;
    }
}
