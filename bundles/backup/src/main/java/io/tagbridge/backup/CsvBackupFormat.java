package io.tagbridge.backup;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.ReceivedValue;

/**
 * The backup file format: RFC 4180 CSV with a header row, one tag value per row.
 *
 * <p>The value's type has a column of its own so that reading a file back gives exactly the values written:
 * a long stays a long, a double keeps every bit, text that looks like a number stays text. Text fields that a
 * spreadsheet would run as a formula (starting with = + - @ tab or CR) are prefixed with a single quote, and
 * so is text that already starts with one, which makes the escaping reversible. Numbers are never touched.
 */
public final class CsvBackupFormat {

    static final String[] HEADER = { "tag_name", "source_time", "value_type", "value", "quality", "received_time",
            "reason" };

    private static final CSVFormat WRITE = CSVFormat.RFC4180.builder().setHeader(HEADER).get();
    private static final CSVFormat READ = CSVFormat.RFC4180.builder().setHeader(HEADER).setSkipHeaderRecord(true)
            .get();

    private CsvBackupFormat() {
    }

    /** Writes the rows and flushes; closing {@code out} stays with the caller. */
    public static void write(Appendable out, List<ReceivedValue> values, String reason) throws IOException {
        @SuppressWarnings("resource")
        CSVPrinter printer = new CSVPrinter(out, WRITE);
        String safeReason = protect(reason);
        for (ReceivedValue received : values) {
            TagValue v = received.value();
            printer.printRecord(protect(v.tagName()), v.sourceTime().toString(), typeOf(v.value()),
                    text(v.value()), v.quality().code(), received.receivedTime().toString(), safeReason);
        }
        printer.flush();
    }

    public static List<ReceivedValue> read(Reader in) throws IOException {
        List<ReceivedValue> values = new ArrayList<>();
        for (CSVRecord row : READ.parse(in)) {
            TagValue value = new TagValue(unprotect(row.get("tag_name")), Instant.parse(row.get("source_time")),
                    parse(row.get("value_type"), row.get("value")), Quality.of(Integer.parseInt(row.get("quality"))));
            values.add(new ReceivedValue(value, ReceivedValue.micros(Instant.parse(row.get("received_time")))));
        }
        return values;
    }

    private static String typeOf(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Long) {
            return "long";
        }
        if (value instanceof Double) {
            return "double";
        }
        if (value instanceof BigDecimal) {
            return "decimal";
        }
        if (value instanceof Boolean) {
            return "boolean";
        }
        return "string";
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
            case "null" -> null;
            case "long" -> Long.valueOf(text);
            case "double" -> Double.valueOf(text);
            case "decimal" -> new BigDecimal(text);
            case "boolean" -> Boolean.valueOf(text);
            case "string" -> unprotect(text);
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
