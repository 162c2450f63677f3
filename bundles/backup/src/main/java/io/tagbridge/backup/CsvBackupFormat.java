package io.tagbridge.backup;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.ReceivedValue;

/**
 * The backup file format: CSV (RFC 4180 quoting, LF line ends) with a header row, one tag value per row, and
 * the reason the rows that follow were backed up in a comment line ({@code # reason: ...}), written once for as
 * long as it does not change. Files of the first format, with a {@code reason} column on every row, are read too.
 *
 * <p>The value's type has a column of its own so that reading a file back gives exactly the values written:
 * a long stays a long, a double keeps every bit, text that looks like a number stays text. The types are written
 * as one letter ({@code l} long, {@code d} double, {@code m} decimal, {@code b} boolean, {@code s} text,
 * {@code n} none) to keep a row near 90 bytes. Text fields that a spreadsheet would run as a formula (starting
 * with = + - @ tab or CR) are prefixed with a single quote, and so is text that already starts with one, which
 * makes the escaping reversible. Numbers are never touched.
 */
public final class CsvBackupFormat {

    static final String[] HEADER = { "tag_name", "source_time", "value_type", "value", "quality", "received_time" };
    static final String REASON = "reason: ";

    private static final CSVFormat WRITE = CSVFormat.RFC4180.builder().setRecordSeparator('\n')
            .setCommentMarker('#').get();
    private static final CSVFormat READ = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
            .setCommentMarker('#').get();

    private CsvBackupFormat() {
    }

    /** Writes the header row; once per file. */
    public static void writeHeader(Appendable out) throws IOException {
        @SuppressWarnings("resource")
        CSVPrinter printer = new CSVPrinter(out, WRITE);
        printer.printRecord((Object[]) HEADER);
        printer.flush();
    }

    /**
     * Writes the rows, after a comment with their reason unless {@code previousReason} is the same; flushes.
     * Closing {@code out} stays with the caller.
     */
    public static void write(Appendable out, List<ReceivedValue> values, String reason, String previousReason)
            throws IOException {
        @SuppressWarnings("resource")
        CSVPrinter printer = new CSVPrinter(out, WRITE);
        if (!reason.equals(previousReason)) {
            printer.printComment(REASON + reason.replace('\n', ' ').replace('\r', ' '));
        }
        for (ReceivedValue received : values) {
            TagValue v = received.value();
            printer.printRecord(protect(v.tagName()), v.sourceTime().toString(), typeOf(v.value()),
                    text(v.value()), v.quality().code(), received.receivedTime().toString());
        }
        printer.flush();
    }

    /** A whole file's worth: the header, then the rows with their reason. */
    public static void write(Appendable out, List<ReceivedValue> values, String reason) throws IOException {
        writeHeader(out);
        write(out, values, reason, null);
    }

    /** A value read back, with the reason it was backed up. */
    public record Row(ReceivedValue value, String reason) {
    }

    public static List<ReceivedValue> read(Reader in) throws IOException {
        return readRows(in).stream().map(Row::value).toList();
    }

    /** Reads the rows of a file of either format, each with its reason. */
    public static List<Row> readRows(Reader in) throws IOException {
        List<Row> rows = new ArrayList<>();
        try (RowReader reader = new RowReader(in)) {
            for (Row row = reader.next(); row != null; row = reader.next()) {
                rows.add(row);
            }
        }
        return rows;
    }

    /** Reads a file row by row, so that a file of any size replays in bounded memory. */
    public static final class RowReader implements AutoCloseable {

        private final CSVParser parser;
        private final Iterator<CSVRecord> records;
        private String reason = "";

        public RowReader(Reader in) throws IOException {
            this.parser = READ.parse(in);
            this.records = parser.iterator();
        }

        /**
         * The next row, or null after the last.
         *
         * @throws IllegalArgumentException for a row that is not a backup row; the message names its line
         */
        public Row next() {
            CSVRecord row;
            try {
                if (!records.hasNext()) {
                    return null;
                }
                row = records.next();
            } catch (UncheckedIOException | IllegalStateException e) {
                throw new IllegalArgumentException("line " + (parser.getCurrentLineNumber() + 1) + ": " + e.getMessage(),
                        e);
            }
            try {
                if (row.hasComment()) {
                    for (String comment : row.getComment().split("\n")) {
                        if (comment.startsWith(REASON)) {
                            reason = comment.substring(REASON.length());
                        }
                    }
                }
                if (row.isMapped("reason")) {
                    reason = unprotect(row.get("reason"));
                }
                TagValue value = new TagValue(unprotect(row.get("tag_name")), Instant.parse(row.get("source_time")),
                        parse(row.get("value_type"), row.get("value")),
                        Quality.of(Integer.parseInt(row.get("quality"))));
                return new Row(new ReceivedValue(value, ReceivedValue.micros(Instant.parse(row.get("received_time")))),
                        reason);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + parser.getCurrentLineNumber() + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }

    private static String typeOf(Object value) {
        if (value == null) {
            return "n";
        }
        if (value instanceof Long) {
            return "l";
        }
        if (value instanceof Double) {
            return "d";
        }
        if (value instanceof BigDecimal) {
            return "m";
        }
        if (value instanceof Boolean) {
            return "b";
        }
        return "s";
    }

    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof String s) {
            return protect(s);
        }
        if (value instanceof BigDecimal d) {
            return d.toString();
        }
        return value.toString();
    }

    private static Object parse(String type, String text) {
        return switch (type) {
            case "n", "null" -> null;
            case "l", "long" -> Long.valueOf(text);
            case "d", "double" -> Double.valueOf(text);
            case "m", "decimal" -> new BigDecimal(text);
            case "b", "boolean" -> Boolean.valueOf(text);
            case "s", "string" -> unprotect(text);
            default -> throw new IllegalArgumentException("value_type: unknown type '" + type + "'");
        };
    }

    static String protect(String text) {
        if (text.isEmpty()) {
            return text;
        }
        return switch (text.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r', '\'' -> "'" + text;
            default -> text;
        };
    }

    static String unprotect(String text) {
        return text.startsWith("'") ? text.substring(1) : text;
    }
}
