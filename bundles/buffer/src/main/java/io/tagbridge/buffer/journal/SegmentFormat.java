package io.tagbridge.buffer.journal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

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
 *  32  reserved        28 bytes of zero
 *  60  CRC32C          of bytes 0 to 59
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
    static final int VERSION = 1;
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
        for (int i = 32; i < 60; i++) {
            segment.put(i, (byte) 0);
        }
        segment.putInt(60, crc(segment, 0, 60));
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
        if (segment.getInt(60) != crc(segment, 0, 60)) {
            return new Header(0, 0, "its header is damaged (checksum mismatch)");
        }
        int version = segment.getInt(4);
        if (version != VERSION) {
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
}
