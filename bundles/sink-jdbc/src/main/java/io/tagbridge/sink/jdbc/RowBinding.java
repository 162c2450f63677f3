package io.tagbridge.sink.jdbc;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.ReceivedValue;

/**
 * How a value goes into the table's columns: times as UTC timestamps, the value in the one of its three columns
 * (number, text, boolean) that fits its type, the others NULL.
 */
final class RowBinding {

    private final String gatewayId;

    RowBinding(String gatewayId) {
        this.gatewayId = gatewayId;
    }

    /** Binds the rows in the columns' order (see TagTable.COLUMNS) and sends them as one batch. */
    int[] execute(PreparedStatement into, List<ReceivedValue> rows) throws SQLException {
        for (ReceivedValue value : rows) {
            bind(into, value);
            into.addBatch();
        }
        return into.executeBatch();
    }

    /** Binds TagTable's update-if-newer statement for each value and sends them as one batch. */
    int[] updateIfNewer(PreparedStatement update, List<ReceivedValue> values) throws SQLException {
        for (ReceivedValue received : values) {
            TagValue v = received.value();
            bindValue(update, 1, v.value());
            update.setInt(4, v.quality().code());
            LocalDateTime receivedTime = LocalDateTime.ofInstant(received.receivedTime(), ZoneOffset.UTC);
            update.setObject(5, receivedTime);
            update.setString(6, gatewayId);
            update.setString(7, v.tagName());
            update.setObject(8, LocalDateTime.ofInstant(v.sourceTime(), ZoneOffset.UTC));
            update.setObject(9, receivedTime);
            update.addBatch();
        }
        return update.executeBatch();
    }

    private void bind(PreparedStatement insert, ReceivedValue received) throws SQLException {
        TagValue v = received.value();
        insert.setString(1, v.tagName());
        insert.setObject(2, LocalDateTime.ofInstant(v.sourceTime(), ZoneOffset.UTC));
        bindValue(insert, 3, v.value());
        insert.setInt(6, v.quality().code());
        insert.setObject(7, LocalDateTime.ofInstant(received.receivedTime(), ZoneOffset.UTC));
        insert.setString(8, gatewayId);
    }

    /** The value into its three columns from {@code first} on: number, text, boolean. */
    private static void bindValue(PreparedStatement into, int first, Object value) throws SQLException {
        if (value instanceof Long l) {
            into.setLong(first, l);
        } else if (value instanceof Double d) {
            into.setDouble(first, d);
        } else if (value instanceof BigDecimal d) {
            into.setBigDecimal(first, d);
        } else {
            into.setNull(first, Types.NUMERIC);
        }
        if (value instanceof String s) {
            into.setString(first + 1, s);
        } else {
            into.setNull(first + 1, Types.VARCHAR);
        }
        if (value instanceof Boolean b) {
            into.setInt(first + 2, b ? 1 : 0);
        } else {
            into.setNull(first + 2, Types.NUMERIC);
        }
    }

    /**
     * Rows the statement left alone: a count of 0. A driver that answers {@link java.sql.Statement#SUCCESS_NO_INFO}
     * does not say, and such rows count as added.
     */
    static int unchanged(int[] counts) {
        int unchanged = 0;
        for (int count : counts) {
            if (count == 0) {
                unchanged++;
            }
        }
        return unchanged;
    }
}
