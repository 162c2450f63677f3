package io.tagbridge.buffer.journal;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.CRC32C;

import io.tagbridge.api.TagValue;

/**
 * The on-disk layout of a journal segment. All numbers are big-endian.
 *
 * <pre>
 * header, 64 bytes:
 *   0  magic           "TBJN"
 *   4  format version  int32, {@value #VERSION}
 *   8  base sequence   int64, the sequence number of the segment's first value
 *  16  created         int64, epoch milliseconds
 *  24  capacity        int64, the file's size
 *  32  sync mark       (format 2) written after each periodic sync, once the data is on disk:
 *        32  synced at     int64, microseconds since the epoch, taken before the data was synced
 *        40  synced end    int32, where the data synced then ended
 *        44  CRC32C        of bytes 32 to 43
 *  48  reserved        12 bytes of zero
 *  60  CRC32C          of bytes 0 to 31 and 48 to 59 (format 1: of bytes 0 to 59, and 32 to 59 are zero)
 * records, from byte 64, each starting at a multiple of 8:
 *   0  length          int32, bytes from offset 8 to the end of the values
 *   4  CRC32C          of the length field and of those bytes
 *   8  sequence        int64, of the record's first value; the others follow one by one
 *  16  received        int64, microseconds since the epoch, when the gateway accepted the values
 *  24  count           int32, values in the record
 *  28  reserved        int32, zero
 *  32  values          see {@link ValueCodec}
 * </pre>
 *
 * A length of zero where a record could start ends the data: segments are zero-filled when they are created.
 */
final class SegmentFormat {

    static final int MAGIC = 0x54424A4E;
    static final int VERSION = 2;
    /** Format 1 had no sync mark; it is read as format 2 without one. */
    static final int VERSION_WITHOUT_SYNC_MARK = 1;
    private static final int MARK = 32;
    private static final int MARK_CRC = 44;
    static final int HEADER = 64;
    static final int RECORD_HEADER = 32;
    /** The bytes of a record counted by its length field start here. */
    static final int BODY = 8;

    private SegmentFormat() {
    }

    static void writeHeader(ByteBuffer segment, long baseSeq, long createdMillis) {
        segment.putInt(0, MAGIC);
        segment.putInt(4, VERSION);
        segment.putLong(8, baseSeq);
        segment.putLong(16, createdMillis);
        segment.putLong(24, segment.capacity());
        for (int i = MARK; i < 60; i++) {
            segment.put(i, (byte) 0);
        }
        segment.putInt(60, headerCrc(segment, VERSION));
    }

    /**
     * The header's checksum. The sync mark has a checksum of its own and is left out, so that writing it never
     * puts the fixed fields in doubt.
     */
    private static int headerCrc(ByteBuffer segment, int version) {
        if (version == VERSION_WITHOUT_SYNC_MARK) {
            return crc(segment, 0, 60);
        }
        CRC32C crc = new CRC32C();
        crc.update(segment.slice(0, MARK));
        crc.update(segment.slice(MARK_CRC + 4, 60 - MARK_CRC - 4));
        return (int) crc.getValue();
    }

    /** Notes that the data up to {@code end} was on disk as of {@code syncedAtMicros}. */
    static void writeSyncMark(ByteBuffer segment, long syncedAtMicros, int end) {
        segment.putLong(MARK, syncedAtMicros);
        segment.putInt(MARK + 8, end);
        segment.putInt(MARK_CRC, crc(segment, MARK, 12));
    }

    /** The bytes the sync mark takes, from the start of the segment: what must be synced after it is written. */
    static int syncMarkEnd() {
        return MARK_CRC + 4;
    }

    /** When the segment's data was last known on disk, in microseconds since the epoch; -1 when it never was. */
    static long syncedAtMicros(ByteBuffer segment) {
        if (segment.capacity() < HEADER || segment.getInt(4) == VERSION_WITHOUT_SYNC_MARK
                || segment.getInt(MARK_CRC) != crc(segment, MARK, 12) || segment.getLong(MARK) == 0) {
            return -1;
        }
        return segment.getLong(MARK);
    }

    /**
     * Where the data known on disk ended at the last sync: data after it may have been lost, or only partly
     * written, by a power cut. A segment in format 2 that was never synced has nothing known on disk; where it
     * cannot be told (format 1, a damaged mark), everything is taken as known on disk.
     */
    static int syncedEnd(ByteBuffer segment) {
        if (segment.capacity() < HEADER || segment.getInt(4) == VERSION_WITHOUT_SYNC_MARK) {
            return Integer.MAX_VALUE;
        }
        if (segment.getLong(MARK) == 0 && segment.getInt(MARK + 8) == 0 && segment.getInt(MARK_CRC) == 0) {
            return HEADER;
        }
        return segment.getInt(MARK_CRC) == crc(segment, MARK, 12) ? segment.getInt(MARK + 8) : Integer.MAX_VALUE;
    }

    /** When the segment was created, in epoch milliseconds, as its header says; for reading, not writing. */
    static long createdMillis(ByteBuffer segment) {
        return segment.getLong(16);
    }

    /** What a segment's header says, or why it cannot be used. */
    record Header(int version, long baseSeq, String problem) {
        boolean usable() {
            return problem == null;
        }
    }

    static Header readHeader(ByteBuffer segment) {
        if (segment.capacity() < HEADER) {
            return new Header(0, 0, "the file is shorter than a segment header (" + segment.capacity() + " bytes)");
        }
        if (segment.getInt(0) != MAGIC) {
            return new Header(0, 0, "it does not start as a Tagbridge journal segment");
        }
        int version = segment.getInt(4);
        boolean known = version == VERSION || version == VERSION_WITHOUT_SYNC_MARK;
        int stored = segment.getInt(60);
        boolean intact = known ? stored == headerCrc(segment, version)
                : stored == crc(segment, 0, 60) || stored == headerCrc(segment, VERSION);
        if (!intact) {
            return new Header(0, 0, "its header is damaged (checksum mismatch)");
        }
        if (!known) {
            return new Header(version, segment.getLong(8), "it was written in journal format " + version
                    + ", which this Tagbridge does not know (it knows format " + VERSION + ")");
        }
        return new Header(version, segment.getLong(8), null);
    }

    static int align(int position) {
        return (position + 7) & ~7;
    }

    /** The CRC32C of a record whose length field is already written. */
    static int recordCrc(ByteBuffer segment, int at, int length) {
        CRC32C crc = new CRC32C();
        crc.update(segment.slice(at, 4));
        crc.update(segment.slice(at + BODY, length));
        return (int) crc.getValue();
    }

    static int crc(ByteBuffer segment, int at, int length) {
        CRC32C crc = new CRC32C();
        crc.update(segment.slice(at, length));
        return (int) crc.getValue();
    }

    /** The most bytes a record of these values takes; -1 when one of them cannot be encoded. */
    static int maxRecordSize(List<TagValue> values) {
        int size = RECORD_HEADER;
        for (TagValue value : values) {
            int valueSize = ValueCodec.maxSize(value);
            if (valueSize < 0) {
                return -1;
            }
            size += valueSize;
        }
        return size;
    }

    /**
     * Writes one record of values at {@code at}, the length and its CRC last.
     *
     * @return where the next record goes
     */
    static int writeRecord(ByteBuffer segment, int at, long seq, long receivedMicros, List<TagValue> values) {
        int p = at + RECORD_HEADER;
        for (TagValue value : values) {
            p = ValueCodec.write(segment, p, value);
        }
        int length = p - at - BODY;
        segment.putLong(at + 8, seq);
        segment.putLong(at + 16, receivedMicros);
        segment.putInt(at + 24, values.size());
        segment.putInt(at + 28, 0);
        segment.putInt(at, length);
        segment.putInt(at + 4, recordCrc(segment, at, length));
        return align(p);
    }
}
