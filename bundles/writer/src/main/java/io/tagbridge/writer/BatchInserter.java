package io.tagbridge.writer;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

import javax.sql.DataSource;

import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.ReceivedValue;

/**
 * Writes one batch in one transaction with JDBC batching: all rows are committed, or none is.
 * Before the first batch the table is checked (and created, if configured).
 */
final class BatchInserter {

    private final DataSource dataSource;
    private final TagTable table;
    private final boolean createTable;
    private final String gatewayId;
    private final String writeSql;
    private volatile boolean tableChecked;

    BatchInserter(DataSource dataSource, TagTable table, boolean createTable, WriteMode mode, String gatewayId) {
        this.dataSource = dataSource;
        this.table = table;
        this.createTable = createTable;
        this.gatewayId = gatewayId;
        this.writeSql = table.writeSql(mode);
    }

    void insert(List<ReceivedValue> batch) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            if (!tableChecked) {
                table.prepare(connection, createTable);
                tableChecked = true;
            }
            connection.setAutoCommit(false);
            execute(connection, batch);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            tableChecked = false;
            rollbackQuietly(connection, e);
            closeQuietly(connection);
            throw e;
        }
        // Committed: a connection lost from here on must not fail the batch, or it would be retried or
        // backed up although its rows are already in the table.
        closeQuietly(connection);
    }

    /** Sends the rows in one JDBC batch and leaves the transaction open: the caller commits or rolls back. */
    void execute(Connection connection, List<ReceivedValue> rows) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(writeSql)) {
            for (ReceivedValue value : rows) {
                bind(insert, value);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // The pool replaces a connection that fails to close; nothing is lost.
        }
    }

    private void bind(PreparedStatement insert, ReceivedValue received) throws SQLException {
        TagValue v = received.value();
        insert.setString(1, v.tagName());
        insert.setObject(2, LocalDateTime.ofInstant(v.sourceTime(), ZoneOffset.UTC));
        Object value = v.value();
        if (value instanceof Long l) {
            insert.setLong(3, l);
        } else if (value instanceof Double d) {
            insert.setDouble(3, d);
        } else if (value instanceof BigDecimal d) {
            insert.setBigDecimal(3, d);
        } else {
            insert.setNull(3, Types.NUMERIC);
        }
        if (value instanceof String s) {
            insert.setString(4, s);
        } else {
            insert.setNull(4, Types.VARCHAR);
        }
        if (value instanceof Boolean b) {
            insert.setInt(5, b ? 1 : 0);
        } else {
            insert.setNull(5, Types.NUMERIC);
        }
        insert.setInt(6, v.quality().code());
        insert.setObject(7, LocalDateTime.ofInstant(received.receivedTime(), ZoneOffset.UTC));
        insert.setString(8, gatewayId);
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
