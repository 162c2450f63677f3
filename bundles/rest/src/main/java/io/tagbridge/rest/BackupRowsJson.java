package io.tagbridge.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;

import com.fasterxml.jackson.core.JsonGenerator;

import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.BackupException;
import io.tagbridge.api.pipeline.BackupFile;
import io.tagbridge.api.pipeline.BackupRow;
import io.tagbridge.api.pipeline.BatchBackup;

/**
 * Writes a backup file's rows as JSON while it reads them, in the shape POST /api/buffer/values takes (plus the
 * row's index, received time and reason), so that a row an operator mended can be sent back as it is.
 */
final class BackupRowsJson {

    private BackupRowsJson() {
    }

    /**
     * {@code {"file": ..., "target": ..., "rows": ..., "lastError": ..., "from": ..., "values": [...]}}, with
     * {@code "error"} after the values when a row could not be read: the rows before it are there.
     */
    static void file(JsonGenerator json, BatchBackup backup, BackupFile file, long from, long max)
            throws IOException {
        json.writeStartObject();
        json.writeStringField("file", file.id());
        json.writeStringField("target", file.target());
        json.writeStringField("state", file.state().name().toLowerCase(java.util.Locale.ROOT));
        json.writeNumberField("rows", file.rows());
        json.writeStringField("lastError", file.lastError());
        json.writeNumberField("from", from);
        json.writeArrayFieldStart("values");
        String error = null;
        try {
            backup.rows(file.id(), from, max, row -> row(json, row));
        } catch (BackupException e) {
            error = e.getMessage();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        json.writeEndArray();
        if (error != null) {
            json.writeStringField("error", error);
        }
        json.writeEndObject();
    }

    private static void row(JsonGenerator json, BackupRow row) {
        TagValue v = row.value().value();
        try {
            json.writeStartObject();
            json.writeNumberField("index", row.index());
            json.writeStringField("tagName", v.tagName());
            json.writeStringField("sourceTime", v.sourceTime().toString());
            json.writeFieldName("value");
            Object value = v.value();
            if (value == null) {
                json.writeNull();
            } else if (value instanceof Long l) {
                json.writeNumber(l);
            } else if (value instanceof Double d) {
                json.writeNumber(d);
            } else if (value instanceof BigDecimal d) {
                json.writeNumber(d);
            } else if (value instanceof Boolean b) {
                json.writeBoolean(b);
            } else {
                json.writeString(value.toString());
            }
            json.writeNumberField("quality", v.quality().code());
            json.writeStringField("receivedTime", row.value().receivedTime().toString());
            json.writeStringField("reason", row.reason());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
