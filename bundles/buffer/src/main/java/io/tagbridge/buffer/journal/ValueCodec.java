package io.tagbridge.buffer.journal;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.ReceivedValue;

/**
 * One tag value in a journal record, with absolute positions so that the appender writes straight into the
 * segment without an intermediate buffer:
 *
 * <pre>
 * source time   int64   microseconds since the epoch
 * quality       uint8   OPC DA quality byte
 * type          uint8   0 null, 1 long, 2 double, 3 false, 4 true, 5 text, 6 decimal
 * tag name      uint16 length, UTF-8 bytes
 * value         long, double: 8 bytes; text, decimal: uint16 length, UTF-8 bytes; else nothing
 * </pre>
 */
final class ValueCodec {

    private static final byte NULL = 0;
    private static final byte LONG = 1;
    private static final byte DOUBLE = 2;
    private static final byte FALSE = 3;
    private static final byte TRUE = 4;
    private static final byte TEXT = 5;
    private static final byte DECIMAL = 6;

    private ValueCodec() {
    }

    /** The longest text a value may carry in the journal, in UTF-8 bytes. */
    static final int MAX_TEXT_BYTES = 0xFFFF;

    /**
     * The bytes {@link #write} takes for this value at most (3 bytes per char of text), or -1 when a text is too
     * long for the journal (only a decimal of tens of thousands of digits can be).
     */
    static int maxSize(TagValue v) {
        int size = 8 + 1 + 1 + 2 + 3 * v.tagName().length();
        Object value = v.value();
        if (value instanceof Long || value instanceof Double) {
            size += 8;
        } else if (value instanceof String s) {
            size += 2 + 3 * s.length();
        } else if (value instanceof BigDecimal d) {
            int digits = d.toString().length();
            if (digits > MAX_TEXT_BYTES) {
                return -1;
            }
            size += 2 + digits;
        }
        return size;
    }

    /** Writes the value at {@code at}; returns the position after it. */
    static int write(ByteBuffer to, int at, TagValue v) {
        int p = at;
        to.putLong(p, ReceivedValue.micros(v.sourceTime()));
        to.put(p + 8, (byte) v.quality().code());
        Object value = v.value();
        p += 10;
        if (value == null) {
            to.put(p - 1, NULL);
            return text(to, p, v.tagName());
        }
        if (value instanceof Long l) {
            to.put(p - 1, LONG);
            p = text(to, p, v.tagName());
            to.putLong(p, l);
            return p + 8;
        }
        if (value instanceof Double d) {
            to.put(p - 1, DOUBLE);
            p = text(to, p, v.tagName());
            to.putDouble(p, d);
            return p + 8;
        }
        if (value instanceof Boolean b) {
            to.put(p - 1, b ? TRUE : FALSE);
            return text(to, p, v.tagName());
        }
        if (value instanceof String s) {
            to.put(p - 1, TEXT);
            return text(to, text(to, p, v.tagName()), s);
        }
        to.put(p - 1, DECIMAL);
        return text(to, text(to, p, v.tagName()), ((BigDecimal) value).toString());
    }

    /** A length-prefixed UTF-8 string, written without allocating for plain ASCII. */
    private static int text(ByteBuffer to, int at, String s) {
        int n = s.length();
        int p = at + 2;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                to.putShort(at, (short) bytes.length);
                to.put(at + 2, bytes);
                return at + 2 + bytes.length;
            }
            to.put(p++, (byte) c);
        }
        to.putShort(at, (short) n);
        return p;
    }

    /** A decoded value and the position after it. */
    record Read(TagValue value, int next) {
    }

    static Read read(ByteBuffer from, int at) {
        long sourceMicros = from.getLong(at);
        Quality quality = Quality.of(from.get(at + 8) & 0xFF);
        byte type = from.get(at + 9);
        int p = at + 10;
        int nameLength = from.getShort(p) & 0xFFFF;
        String tag = string(from, p + 2, nameLength);
        p += 2 + nameLength;
        Object value;
        switch (type) {
            case NULL -> value = null;
            case LONG -> {
                value = from.getLong(p);
                p += 8;
            }
            case DOUBLE -> {
                value = from.getDouble(p);
                p += 8;
            }
            case FALSE -> value = Boolean.FALSE;
            case TRUE -> value = Boolean.TRUE;
            case TEXT, DECIMAL -> {
                int length = from.getShort(p) & 0xFFFF;
                String text = string(from, p + 2, length);
                p += 2 + length;
                value = type == TEXT ? text : new BigDecimal(text);
            }
            default -> throw new IllegalStateException("unknown value type " + type + " at " + at);
        }
        Instant sourceTime = Instant.ofEpochSecond(Math.floorDiv(sourceMicros, 1_000_000L),
                Math.floorMod(sourceMicros, 1_000_000L) * 1000L);
        return new Read(new TagValue(tag, sourceTime, value, quality), p);
    }

    /** The position after the value at {@code at}, without decoding it. */
    static int skip(ByteBuffer from, int at) {
        byte type = from.get(at + 9);
        int p = at + 10;
        p += 2 + (from.getShort(p) & 0xFFFF);
        return switch (type) {
            case LONG, DOUBLE -> p + 8;
            case TEXT, DECIMAL -> p + 2 + (from.getShort(p) & 0xFFFF);
            default -> p;
        };
    }

    /** The tag name of the value at {@code at}. */
    static String tagName(ByteBuffer from, int at) {
        return string(from, at + 12, from.getShort(at + 10) & 0xFFFF);
    }

    private static String string(ByteBuffer from, int at, int length) {
        byte[] bytes = new byte[length];
        from.get(at, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
