package io.tagbridge.sink.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.sink.FailureKind;
import io.tagbridge.api.sink.WriteResult;
import io.tagbridge.api.sink.jdbc.SqlDialect;

/**
 * Writes one batch in one transaction with JDBC batching: all rows are committed, or none is.
 * Before the first batch the table is checked (and created, if configured).
 *
 * <p>Two ways to write. The fast way sends the batch as the write mode says (INSERT by default). The
 * duplicate-safe way looks up which keys the table holds already, inserts only the new rows and compares the
 * others: the same value again counts as already stored, another value is a conflict, handled by the conflict
 * policy. A batch takes the duplicate-safe way when it may have been written before (a retry, a replay, catch-up
 * after a restart), or when the fast way meets a stored row.
 *
 * <p>While batches keep coming it keeps its connection and prepared statements, as a raw JDBC loop would: borrowing,
 * switching off auto-commit and preparing cost a round trip each, per batch, which small batches over a network
 * feel. It gives the connection back when the writer is idle, after {@link #HOLD_LIMIT} so that the pool can
 * rebalance (RAC, planned maintenance), and after any failure. A held connection may have died unseen: a batch
 * that fails on one for a transient reason is tried once more at once on a freshly borrowed connection, which the
 * pool validates, before the failure counts; that second try takes the duplicate-safe way.
 *
 * <p>Used by one thread at a time: the writer's, or for a {@linkplain #lane() lane}, a lane's.
 */
final class BatchInserter {

    static final Duration HOLD_LIMIT = Duration.ofSeconds(60);
    private final DataSource dataSource;
    private final TagTable table;
    private final boolean createTable;
    private final WriteMode mode;
    private final ConflictPolicy conflicts;
    private final String gatewayId;
    private final RowBinding binding;
    private final Dialects dialects;
    private volatile SqlDialect dialect;
    private volatile boolean tableChecked;
    private Connection held;
    private PreparedStatement statement;
    private PreparedStatement insert;
    private PreparedStatement lookup;
    private PreparedStatement update;
    private long heldSince;

    BatchInserter(DataSource dataSource, TagTable table, boolean createTable, WriteMode mode, ConflictPolicy conflicts,
            String gatewayId, Dialects dialects) {
        this.dataSource = dataSource;
        this.dialects = dialects;
        this.table = table;
        this.createTable = createTable;
        this.mode = mode;
        this.conflicts = conflicts;
        this.gatewayId = gatewayId;
        this.binding = new RowBinding(gatewayId);
    }

    /**
     * Another inserter into the same table with its own connection, borrowed now, for a lane of the target.
     *
     * @throws SQLException when the pool has no connection to give within its wait timeout
     */
    BatchInserter lane() throws SQLException {
        BatchInserter lane = new BatchInserter(dataSource, table, createTable, mode, conflicts, gatewayId, dialects);
        lane.open();
        return lane;
    }

    /**
     * Writes and commits the batch.
     *
     * @param safe whether it may have been written before: it then takes the duplicate-safe way at once
     */
    WriteResult insert(List<ReceivedValue> batch, boolean safe) throws SQLException {
        if (held != null && System.nanoTime() - heldSince > HOLD_LIMIT.toNanos()) {
            release();
        }
        boolean reused = held != null;
        try {
            return commit(batch, safe);
        } catch (SQLException | RuntimeException e) {
            discard(e);
            if (!reused || SqlErrors.classify(e) != FailureKind.TRANSIENT) {
                throw e;
            }
            try {
                return commit(batch, true);
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
    private WriteResult commit(List<ReceivedValue> batch, boolean safe) throws SQLException {
        if (held == null) {
            open();
        }
        WriteResult stored = switch (mode) {
            case INSERT_FIRST -> safe ? duplicateSafe(batch) : insertFirst(batch);
            case INSERT -> safe ? duplicateSafe(batch)
                    : WriteResult.allWritten(binding.execute(statement, batch).length);
            case MERGE -> merge(batch);
            case IGNORE_DUPLICATES_HINT -> {
                int unchanged = RowBinding.unchanged(binding.execute(statement, batch));
                yield result(batch.size() - unchanged, unchanged, 0, List.of(), null);
            }
        };
        held.commit();
        return stored;
    }

    private WriteResult insertFirst(List<ReceivedValue> batch) throws SQLException {
        try {
            binding.execute(statement, batch);
            return WriteResult.allWritten(batch.size());
        } catch (SQLException e) {
            if (!SqlErrors.isDuplicateKey(e)) {
                throw e;
            }
            held.rollback();
            return duplicateSafe(batch);
        }
    }

    /**
     * Inserts the rows whose keys the table does not hold, and compares the others. Should another writer insert
     * one of the keys meanwhile, the primary key refuses it and the whole batch is looked up again, once.
     */
    private WriteResult duplicateSafe(List<ReceivedValue> batch) throws SQLException {
        try {
            return lookUpAndInsert(batch);
        } catch (SQLException e) {
            if (!SqlErrors.isDuplicateKey(e)) {
                throw e;
            }
            held.rollback();
            return lookUpAndInsert(batch);
        }
    }

    private WriteResult lookUpAndInsert(List<ReceivedValue> batch) throws SQLException {
        Map<StoredRows.Key, StoredRows.Row> stored = StoredRows.lookup(lookup(), batch);
        Map<StoredRows.Key, ReceivedValue> fresh = new LinkedHashMap<>();
        List<ReceivedValue> conflicting = new ArrayList<>();
        List<StoredRows.Row> conflictingWith = new ArrayList<>();
        int same = 0;
        String example = null;
        for (ReceivedValue v : batch) {
            StoredRows.Key key = StoredRows.Key.of(v);
            StoredRows.Row row = stored.get(key);
            ReceivedValue earlier = fresh.get(key);
            boolean isSame = row != null ? StoredRows.same(row, v.value())
                    : earlier != null && StoredRows.same(earlier.value(), v.value());
            if (row == null && earlier == null) {
                fresh.put(key, v);
            } else if (isSame) {
                same++;
            } else {
                conflicting.add(v);
                conflictingWith.add(row);
                if (example == null) {
                    example = v.value() + " against " + (row != null ? row.describe() : earlier.value().value()
                            + " earlier in the same batch");
                }
            }
        }
        if (!fresh.isEmpty()) {
            binding.execute(insert(), List.copyOf(fresh.values()));
        }
        return resolve(fresh.size(), same, conflicting, example);
    }

    private WriteResult resolve(int written, int same, List<ReceivedValue> conflicting, String example)
            throws SQLException {
        if (conflicting.isEmpty()) {
            return result(written, same, 0, List.of(), null);
        }
        return switch (conflicts) {
            case KEEP_FIRST -> result(written, same + conflicting.size(), conflicting.size(), List.of(), example);
            case BACKUP -> result(written, same, conflicting.size(), List.copyOf(conflicting), example);
            case KEEP_LAST -> {
                int replaced = 0;
                for (int count : updateIfNewer(conflicting)) {
                    if (count > 0 || count == Statement.SUCCESS_NO_INFO) {
                        replaced++;
                    }
                }
                yield result(written + replaced, same + conflicting.size() - replaced, conflicting.size(),
                        List.of(), example);
            }
        };
    }

    /** MERGE leaves stored rows alone; those it left are compared, so a conflict is counted, never silent. */
    private WriteResult merge(List<ReceivedValue> batch) throws SQLException {
        int[] counts = binding.execute(statement, batch);
        List<ReceivedValue> left = new ArrayList<>();
        for (int i = 0; i < counts.length && i < batch.size(); i++) {
            if (counts[i] == 0) {
                left.add(batch.get(i));
            }
        }
        if (left.isEmpty()) {
            return WriteResult.allWritten(batch.size());
        }
        Map<StoredRows.Key, StoredRows.Row> stored = StoredRows.lookup(lookup(), left);
        int conflicting = 0;
        String example = null;
        for (ReceivedValue v : left) {
            StoredRows.Row row = stored.get(StoredRows.Key.of(v));
            if (row != null && !StoredRows.same(row, v.value())) {
                conflicting++;
                example = example != null ? example : v.value() + " against " + row.describe();
            }
        }
        return result(batch.size() - left.size(), left.size(), conflicting, List.of(), example);
    }

    private int[] updateIfNewer(List<ReceivedValue> values) throws SQLException {
        if (update == null) {
            update = held.prepareStatement(table.updateIfNewerSql());
        }
        return binding.updateIfNewer(update, values);
    }

    /** What the batch did, with the conflicts (if any) said as the log and backup files say them. */
    private WriteResult result(int written, int alreadyStored, int conflicting, List<ReceivedValue> toBackUp,
            String example) {
        if (example == null) {
            return new WriteResult(written, alreadyStored, conflicting, toBackUp, null);
        }
        return new WriteResult(written, alreadyStored, conflicting, toBackUp,
                conflicts.outcome() + " (conflictPolicy " + conflicts + "), e.g. " + example);
    }

    private PreparedStatement insert() throws SQLException {
        if (mode == WriteMode.INSERT || mode == WriteMode.INSERT_FIRST) {
            return statement;
        }
        if (insert == null) {
            insert = held.prepareStatement(table.insertSql());
        }
        return insert;
    }

    private PreparedStatement lookup() throws SQLException {
        if (lookup == null) {
            lookup = held.prepareStatement(table.lookupSql(StoredRows.KEYS_PER_LOOKUP));
        }
        return lookup;
    }

    private void open() throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            SqlDialect spoken = dialectOf(connection);
            dialect = spoken;
            if (!tableChecked) {
                table.prepare(connection, createTable, spoken);
                tableChecked = true;
            }
            connection.setAutoCommit(false);
            statement = connection.prepareStatement(table.writeSql(mode, spoken));
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
     * Whether a commit is durable only after a checkpoint, as the database's dialect says: H2 writes a commit to
     * its file but syncs the file to disk only at a checkpoint, so a power cut can take commits it confirmed.
     * Oracle's commits are in the redo log on disk when they return, PostgreSQL's in its write-ahead log.
     */
    boolean needsCheckpoint() {
        SqlDialect spoken = dialect;
        return spoken != null && spoken.makeDurable() != null;
    }

    /**
     * Asks the database to sync what it committed to disk (H2: {@code CHECKPOINT SYNC}).
     *
     * @return whether it did
     */
    boolean checkpoint() {
        String sql = dialect.makeDurable();
        try {
            if (held != null) {
                try (Statement s = held.createStatement()) {
                    s.execute(sql);
                }
                return true;
            }
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute(sql);
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
        for (AutoCloseable open : new AutoCloseable[] { statement, insert, lookup, update, held }) {
            closeQuietly(open);
        }
        held = null;
        statement = null;
        insert = null;
        lookup = null;
        update = null;
    }

    /** After a failure: the transaction is rolled back, the connection given up and the table checked again. */
    private void discard(Exception cause) {
        tableChecked = false;
        if (held != null) {
            rollbackQuietly(held, cause);
        }
        release();
    }

    /**
     * Sends the rows the fast way and looks them up the duplicate-safe way, leaving the transaction open: the caller
     * rolls back. Tries both statements on a database without writing anything.
     */
    void tryOut(Connection connection, List<ReceivedValue> rows) throws SQLException {
        SqlDialect spoken = dialectOf(connection);
        try (PreparedStatement write = connection.prepareStatement(table.writeSql(mode, spoken));
                PreparedStatement find = connection.prepareStatement(table.lookupSql(StoredRows.KEYS_PER_LOOKUP))) {
            binding.execute(write, rows);
            if (StoredRows.lookup(find, rows).size() != rows.size()) {
                throw new SQLException("the rows just written were not found by the duplicate-safe lookup");
            }
        }
    }

    /** The dialect of the database behind {@code connection}. */
    SqlDialect dialectOf(Connection connection) throws SQLException {
        return dialects.forProduct(connection.getMetaData().getDatabaseProductName());
    }

    private static void closeQuietly(AutoCloseable open) {
        try {
            if (open != null) {
                open.close();
            }
        } catch (Exception e) {
            // The pool replaces a connection that fails to close, with its statements; nothing is lost.
        }
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
