package io.tagbridge.buffer.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reads one segment file the way a start and the readers would, and changes nothing: the file is mapped read-only
 * and unmapped at once. It finds the good records and what lies between and after them: damaged records that would
 * be skipped, a torn record at the end that a start would cut off, sequence numbers no segment holds.
 *
 * <p>The newest segment is checked as {@link Journal}'s recovery checks it: everything after its last good record
 * that is not zero is a torn tail. Older segments are checked as a reader reads them: their data ends with a zero
 * length once every value up to the next segment's first is there. In a journal a running gateway holds, the end of
 * the newest segment may be being written: what follows its last good record is then reported as in use, and a
 * record that fails its checks is looked at again after a moment before it is taken for damage.
 */
public final class SegmentInspection {

    /** The newest journal format this version reads. */
    public static final int KNOWN_FORMAT = SegmentFormat.VERSION;
    /** Where a segment's records begin. */
    public static final int HEADER = SegmentFormat.HEADER;

    /** How often, in all, a record of a journal in use that fails its checks is looked at again. */
    private static final int RECHECKS = 10;
    private static final long RECHECK_PAUSE_MILLIS = 50;

    private SegmentInspection() {
    }

    /** What a stretch of a segment that holds no good records is. */
    public enum Kind {
        /** Records that fail their checks, followed by good ones: they are skipped. */
        DAMAGED_RECORDS,
        /** Bytes after the newest segment's last good record: a record torn by a power cut, cut off at start. */
        TORN_TAIL,
        /** Bytes after the newest segment's last good record, in a journal in use: being written. */
        IN_USE,
        /** An older segment's data ends before the next segment's first value: those values are in no segment. */
        MISSING_VALUES
    }

    /**
     * A stretch of a segment that holds no good records.
     *
     * @param offset   where it starts in the file
     * @param bytes    its length: up to the next good record, or up to the last byte that is not zero
     * @param values   the values lost in it; -1 when it cannot be told
     * @param firstSeq the sequence number of the first value lost in it
     */
    public record Stretch(Kind kind, int offset, long bytes, long values, long firstSeq) {
    }

    /** Called for each good record, in order. */
    public interface RecordVisitor {
        /**
         * @param seq            the sequence number of its first value
         * @param count          its values
         * @param receivedMicros when they were accepted
         * @param offset         where it starts in the file
         * @param tagNames       the tag names of its values, in order, read when asked for
         */
        void record(long seq, int count, long receivedMicros, int offset, Supplier<List<String>> tagNames);
    }

    /**
     * What a segment file holds.
     *
     * @param size           the file's size
     * @param problem        why its header cannot be used (a start moves it to {@code unreadable/}); null when it can
     * @param vanished       whether it was gone by the time it was to be read (deleted by a running gateway)
     * @param beingCreated   whether it is the newest segment of a journal in use, created but with no header yet
     * @param format         its format version; 0 when unknown
     * @param baseSeq        the sequence number of its first value, as its header says
     * @param createdMillis  when it was created, epoch milliseconds; -1 when unknown
     * @param syncedAtMicros its sync mark, microseconds since the epoch; -1 when it has none
     * @param records        its good records
     * @param values         the values in them
     * @param firstSeq       the sequence number of its first good value, or its base when it has none
     * @param nextSeq        the sequence number after its last good value, or its base when it has none
     * @param dataEnd        where its last good record ends
     * @param newestMicros   when its last good record was accepted, microseconds since the epoch; -1 when none
     * @param stretches      what is not good records, in order
     */
    public record Result(long size, String problem, boolean vanished, boolean beingCreated, int format, long baseSeq,
            long createdMillis, long syncedAtMicros, long records, long values, long firstSeq, long nextSeq,
            int dataEnd, long newestMicros, List<Stretch> stretches) {

        public boolean readable() {
            return problem == null && !vanished && !beingCreated;
        }
    }

    /**
     * Reads a segment file.
     *
     * @param newest   whether it is the journal's newest segment
     * @param nextBase for an older segment, the first sequence number of the segment after it
     * @param inUse    whether a running gateway holds the journal
     * @param visitor  receives each good record; may be null
     */
    public static Result inspect(Path file, boolean newest, long nextBase, boolean inUse, RecordVisitor visitor) {
        MappedByteBuffer buffer;
        long size;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            size = channel.size();
            if (size > Integer.MAX_VALUE) {
                return unusable(size, "it is larger (" + size + " bytes) than a journal segment can be");
            }
            buffer = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        } catch (NoSuchFileException e) {
            return new Result(0, null, true, false, 0, 0, -1, -1, 0, 0, 0, 0, 0, -1, List.of());
        } catch (IOException e) {
            return unusable(-1, "it cannot be read: " + e);
        }
        try {
            return scan(buffer, size, newest, nextBase, inUse, visitor);
        } finally {
            FileStorage.unmapNow(buffer);
        }
    }

    private static Result unusable(long size, String problem) {
        return new Result(size, problem, false, false, 0, 0, -1, -1, 0, 0, 0, 0, 0, -1, List.of());
    }

    private static Result scan(ByteBuffer buffer, long size, boolean newest, long nextBase, boolean inUse,
            RecordVisitor visitor) {
        SegmentFormat.Header header = SegmentFormat.readHeader(buffer);
        if (!header.usable()) {
            if (inUse && newest && buffer.capacity() >= SegmentFormat.HEADER && zero(buffer, 0,
                    SegmentFormat.HEADER)) {
                return new Result(size, null, false, true, 0, 0, -1, -1, 0, 0, 0, 0, 0, -1,
                        List.of(new Stretch(Kind.IN_USE, 0, 0, 0, 0)));
            }
            return new Result(size, header.problem(), false, false, header.version(), header.baseSeq(), -1, -1, 0, 0,
                    0, 0, 0, -1, List.of());
        }
        long base = header.baseSeq();
        int capacity = buffer.capacity();
        List<Stretch> stretches = new ArrayList<>();
        int at = SegmentFormat.HEADER;
        long seq = base;
        long firstSeq = -1;
        long records = 0;
        long values = 0;
        long newestMicros = -1;
        int rechecks = 0;
        while (at + SegmentFormat.RECORD_HEADER <= capacity) {
            if (RecordScan.valid(buffer, at, seq, capacity)) {
                long rseq = RecordScan.seq(buffer, at);
                int count = RecordScan.count(buffer, at);
                long received = buffer.getLong(at + 16);
                if (visitor != null) {
                    int recordAt = at;
                    visitor.record(rseq, count, received, at, () -> tagNames(buffer, recordAt, count));
                }
                if (firstSeq < 0) {
                    firstSeq = rseq;
                }
                if (rseq > seq) {
                    stretches.add(new Stretch(Kind.MISSING_VALUES, at, 0, rseq - seq, seq));
                }
                records++;
                values += count;
                newestMicros = received;
                seq = rseq + count;
                at = RecordScan.next(buffer, at);
                continue;
            }
            if (newest && inUse && rechecks < RECHECKS && buffer.getInt(at) != 0) {
                rechecks++;
                pause();
                if (RecordScan.valid(buffer, at, seq, capacity)) {
                    continue;
                }
            }
            boolean end = buffer.getInt(at) == 0 && (newest || seq >= nextBase);
            int good = RecordScan.resync(buffer, at, seq, capacity);
            if (good < 0 || end && !newest) {
                break;
            }
            long goodSeq = RecordScan.seq(buffer, good);
            stretches.add(new Stretch(Kind.DAMAGED_RECORDS, at, good - at, goodSeq - seq, seq));
            seq = goodSeq;
            at = good;
        }
        int dataEnd = Math.min(at, capacity);
        if (newest) {
            int last = lastNonZero(buffer, dataEnd);
            if (last >= dataEnd) {
                stretches.add(new Stretch(inUse ? Kind.IN_USE : Kind.TORN_TAIL, dataEnd, last + 1L - dataEnd,
                        tornCount(buffer, dataEnd, seq), seq));
            }
        } else {
            int last = lastNonZero(buffer, dataEnd);
            long bytes = last >= dataEnd ? last + 1L - dataEnd : 0;
            if (seq < nextBase || bytes > 0) {
                stretches.add(new Stretch(bytes > 0 ? Kind.DAMAGED_RECORDS : Kind.MISSING_VALUES, dataEnd, bytes,
                        Math.max(0, nextBase - seq), seq));
            }
        }
        return new Result(size, null, false, false, header.version(), base, SegmentFormat.createdMillis(buffer),
                SegmentFormat.syncedAtMicros(buffer), records, values, firstSeq < 0 ? base : firstSeq, seq, dataEnd,
                newestMicros, List.copyOf(stretches));
    }

    /**
     * The values a torn record held, as its header says, when the header itself reached the disk (its length fits
     * and its sequence number is the one expected); -1 when it cannot be told.
     */
    private static long tornCount(ByteBuffer buffer, int at, long expectedSeq) {
        if (at + SegmentFormat.RECORD_HEADER > buffer.capacity()) {
            return -1;
        }
        int length = buffer.getInt(at);
        int count = buffer.getInt(at + 24);
        boolean plausible = length > 0 && length <= buffer.capacity() - at - SegmentFormat.BODY
                && buffer.getLong(at + 8) == expectedSeq && count >= 1 && count <= length / 13;
        return plausible ? count : -1;
    }

    private static List<String> tagNames(ByteBuffer buffer, int at, int count) {
        List<String> names = new ArrayList<>(count);
        int v = at + SegmentFormat.RECORD_HEADER;
        for (int i = 0; i < count; i++) {
            names.add(ValueCodec.tagName(buffer, v));
            v = ValueCodec.skip(buffer, v);
        }
        return names;
    }

    private static boolean zero(ByteBuffer buffer, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buffer.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** The last byte at or after {@code from} that is not zero; -1 when there is none. */
    private static int lastNonZero(ByteBuffer buffer, int from) {
        int capacity = buffer.capacity();
        int i = capacity - 1;
        while (i >= from && (i & 7) != 7) {
            if (buffer.get(i) != 0) {
                return i;
            }
            i--;
        }
        while (i - 7 >= from) {
            if (buffer.getLong(i - 7) != 0) {
                for (int k = i; ; k--) {
                    if (buffer.get(k) != 0) {
                        return k;
                    }
                }
            }
            i -= 8;
        }
        while (i >= from) {
            if (buffer.get(i) != 0) {
                return i;
            }
            i--;
        }
        return -1;
    }

    private static void pause() {
        try {
            Thread.sleep(RECHECK_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
