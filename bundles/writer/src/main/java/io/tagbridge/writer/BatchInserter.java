package io.tagbridge.writer;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

import javax.sql.DataSource;

import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.ReceivedValue;

/**
 * Writes one batch in one transaction with JDBC batching: all rows are committed, or none is.
 * Before the first batch the table is checked (and created, if configured).
 *
 * <p>While batches keep coming it keeps its connection and prepared statement, as a raw JDBC loop would: borrowing,
 * switching off auto-commit and preparing cost a round trip each, per batch, which small batches over a network
 * feel. It gives the connection back when the writer is idle, after {@link #HOLD_LIMIT} so that the pool can
 * rebalance (RAC, planned maintenance), and after any failure. A held connection may have died unseen: a batch
 * that fails on one for a transient reason is tried once more at once on a freshly borrowed connection, which the
 * pool validates, before the failure counts.
 *
 * <p>Used by the writer's thread only.
 */
final class BatchInserter {

    static final Duration HOLD_LIMIT = Duration.ofSeconds(60);
    private static final String SYNCS_ON_CHECKPOINT = "H2";

    private final DataSource dataSource;
    private final TagTable table;
    private final boolean createTable;
    private final String gatewayId;
    private final String writeSql;
    private volatile boolean tableChecked;
    private volatile boolean needsCheckpoint;
    private Connection held;
    private PreparedStatement statement;
    private long heldSince;

    BatchInserter(DataSource dataSource, TagTable table, boolean createTable, WriteMode mode, String gatewayId) {
        this.dataSource = dataSource;
        this.table = table;
        this.createTable = createTable;
        this.gatewayId = gatewayId;
        this.writeSql = table.writeSql(mode);
    }

    /**
     * Writes and commits the batch.
     *
     * @return how many of its rows the table held already, as far as the driver tells (a MERGE that matched)
     */
    int insert(List<ReceivedValue> batch) throws SQLException {
        if (held != null && System.nanoTime() - heldSince > HOLD_LIMIT.toNanos()) {
            release();
        }
        boolean reused = held != null;
        try {
            return commit(batch);
        } catch (SQLException | RuntimeException e) {
            discard(e);
            if (!reused || SqlErrors.classify(e) != ErrorClass.TRANSIENT) {
                throw e;
            }
            try {
                return commit(batch);
            } catch (SQLException | RuntimeException again) {
                discard(again);
                again.addSuppressed(e);
                throw again;
            }
        }
    }

    /**
     * Committed means done: nothing after the commit may fail the batch, or it would be retried or backed up
     * although its rows are already in the table.
     */
    private int commit(List<ReceivedValue> batch) throws SQLException {
        if (held == null) {
            open();
        }
        for (ReceivedValue value : batch) {
            bind(statement, value);
            statement.addBatch();
        }
        int[] counts = statement.executeBatch();
        held.commit();
        return unchanged(counts);
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

    private void open() throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            needsCheckpoint = SYNCS_ON_CHECKPOINT.equals(connection.getMetaData().getDatabaseProductName());
            if (!tableChecked) {
                table.prepare(connection, createTable);
                tableChecked = true;
            }
            connection.setAutoCommit(false);
            statement = connection.prepareStatement(writeSql);
            held = connection;
            heldSince = System.nanoTime();
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /**
     * Opens the connection and checks the table ahead of the first batch, so that the first values do not wait
     * for it. A failure is left for the first batch to meet, through the normal retries.
     */
    void warmUp() {
        try {
            if (held == null) {
                open();
            }
        } catch (SQLException | RuntimeException e) {
            discard(e);
        }
    }

    /**
     * Whether a commit is durable only after a checkpoint: H2 writes a commit to its file but syncs the file to
     * disk only at a checkpoint, so a power cut can take commits it confirmed. Oracle's commits are in the redo
     * log on disk when they return.
     */
    boolean needsCheckpoint() {
        return needsCheckpoint;
    }

    /**
     * Asks the database to sync what it committed to disk ({@code CHECKPOINT SYNC}, H2's command).
     *
     * @return whether it did
     */
    boolean checkpoint() {
        try {
            if (held != null) {
                try (Statement s = held.createStatement()) {
                    s.execute("CHECKPOINT SYNC");
                }
                return true;
            }
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("CHECKPOINT SYNC");
            }
            return true;
        } catch (SQLException | RuntimeException e) {
            discard(e);
            return false;
        }
    }

    /** Gives the connection back to the pool; called when the writer is idle or stops. */
    void release() {
        if (held == null) {
            return;
        }
        try {
            statement.close();
        } catch (SQLException e) {
            // Closing the connection closes it too.
        }
        closeQuietly(held);
        held = null;
        statement = null;
    }

    /** After a failure: the transaction is rolled back, the connection given up and the table checked again. */
    private void discard(Exception cause) {
        tableChecked = false;
        if (held != null) {
            rollbackQuietly(held, cause);
        }
        release();
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
