package io.tagbridge.sink.jdbc;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import javax.sql.DataSource;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.StoreCheck;
import io.tagbridge.api.pipeline.StoreCheck.Step;
import io.tagbridge.api.pipeline.TagStore;

/** A writer's table, for the connection test and for reading back what a load test wrote. */
final class WriterTagStore implements TagStore {

    static final String TEST_TAG = "tagbridge.test-connection";

    /** Oracle's driver fetches 10 rows per round trip unless told otherwise. */
    private static final int FETCH_SIZE = 1000;

    private final String writerName;
    private final DataSource dataSource;
    private final TagTable table;
    private final boolean createTable;
    private final BatchInserter inserter;

    WriterTagStore(String writerName, DataSource dataSource, TagTable table, boolean createTable,
            BatchInserter inserter) {
        this.writerName = writerName;
        this.dataSource = dataSource;
        this.table = table;
        this.createTable = createTable;
        this.inserter = inserter;
    }

    @Override
    public String writerName() {
        return writerName;
    }

    @Override
    public String table() {
        return table.name().sql();
    }

    @Override
    public StoreCheck check(Duration timeout) {
        int timeoutSeconds = (int) Math.max(1, timeout.toSeconds());
        List<Step> steps = new ArrayList<>();
        long start = System.nanoTime();
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException | RuntimeException e) {
            steps.add(failed("connect", start, e));
            return new StoreCheck(steps);
        }
        try (connection) {
            DatabaseMetaData meta = connection.getMetaData();
            steps.add(new Step("connect", true, millisSince(start), "connected to " + meta.getDatabaseProductName()
                    + " " + firstLine(meta.getDatabaseProductVersion()) + " as " + meta.getUserName()));
            if (roundTrip(connection, timeoutSeconds, steps) && table(connection, steps)) {
                testRow(connection, steps);
            }
        } catch (SQLException | RuntimeException e) {
            steps.add(failed("connect", start, e));
        }
        return new StoreCheck(steps);
    }

    private static boolean roundTrip(Connection connection, int timeoutSeconds, List<Step> steps) {
        long start = System.nanoTime();
        try (Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(timeoutSeconds);
            try (ResultSet rs = statement.executeQuery("SELECT 1 FROM DUAL")) {
                rs.next();
            } finally {
                // H2 keeps a statement's timeout for the whole session, which goes back to the pool.
                statement.setQueryTimeout(0);
            }
            long micros = (System.nanoTime() - start) / 1000;
            steps.add(new Step("round trip", true, micros / 1000, "the database answered in "
                    + String.format(java.util.Locale.ROOT, "%.1f", micros / 1000.0) + " ms"));
            return true;
        } catch (SQLException | RuntimeException e) {
            steps.add(failed("round trip", start, e));
            return false;
        }
    }

    private boolean table(Connection connection, List<Step> steps) {
        long start = System.nanoTime();
        try {
            boolean existed = !table.columns(connection).isEmpty();
            table.prepare(connection, createTable, inserter.dialectOf(connection));
            steps.add(new Step("table", true, millisSince(start), table() + (existed
                    ? " exists and has the columns the writer fills" : " did not exist and was created")));
            return true;
        } catch (SQLException | RuntimeException e) {
            steps.add(failed("table", start, e));
            return false;
        }
    }

    private void testRow(Connection connection, List<Step> steps) {
        long start = System.nanoTime();
        try {
            connection.setAutoCommit(false);
            try {
                Instant now = Instant.now();
                inserter.tryOut(connection, List.of(new ReceivedValue(
                        TagValue.of(TEST_TAG, now, 0L, Quality.GOOD), ReceivedValue.micros(now))));
            } finally {
                connection.rollback();
            }
            steps.add(new Step("write", true, millisSince(start),
                    "a test row was written to " + table() + " and rolled back"));
        } catch (SQLException | RuntimeException e) {
            steps.add(failed("write", start, e));
        }
    }

    @Override
    public long read(String tagNamePrefix, Consumer<TagValue> sink) throws SQLException {
        String sql = "SELECT TAG_NAME, SOURCE_TIME, NUM_VALUE, STR_VALUE, BOOL_VALUE, QUALITY FROM " + table()
                + " WHERE TAG_NAME LIKE ? ESCAPE '\\'";
        long rows = 0;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setFetchSize(FETCH_SIZE);
            select.setString(1, likePrefix(tagNamePrefix));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    sink.accept(new TagValue(rs.getString(1),
                            rs.getObject(2, LocalDateTime.class).toInstant(ZoneOffset.UTC), value(rs),
                            Quality.of(rs.getInt(6))));
                    rows++;
                }
            }
        }
        return rows;
    }

    private static Object value(ResultSet rs) throws SQLException {
        BigDecimal number = rs.getBigDecimal(3);
        if (number != null) {
            return number;
        }
        String text = rs.getString(4);
        if (text != null) {
            return text;
        }
        int bool = rs.getInt(5);
        return rs.wasNull() ? null : bool == 1;
    }

    static String likePrefix(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static Step failed(String name, long start, Exception e) {
        return new Step(name, false, millisSince(start), SqlErrors.describe(e));
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline > 0 ? text.substring(0, newline).strip() : text.strip();
    }
}
