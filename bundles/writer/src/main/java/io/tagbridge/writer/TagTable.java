package io.tagbridge.writer;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The table the writer fills, and every statement the writer sends to it. The types are Oracle's, chosen for a
 * historian; H2 in Oracle mode accepts them.
 *
 * <ul>
 * <li>SOURCE_TIME and RECEIVED_TIME are TIMESTAMP(6), always UTC (the writer converts before binding): microseconds,
 * and no session time zone can shift them. TIMESTAMP WITH TIME ZONE would store an offset that is always +00:00.
 * <li>Numbers go to NUMBER, which keeps longs and decimals exact; text to VARCHAR2 counted in characters, not bytes.
 * <li>Booleans go to NUMBER(1) (0 or 1): Oracle before 23ai has no BOOLEAN column.
 * <li>The primary key is the natural key (TAG_NAME, SOURCE_TIME): it makes repeated writes harmless.
 * </ul>
 */
final class TagTable {

    static final List<String> COLUMNS = List.of("TAG_NAME", "SOURCE_TIME", "NUM_VALUE", "STR_VALUE", "BOOL_VALUE",
            "QUALITY", "RECEIVED_TIME", "GATEWAY_ID");

    private static final List<String> CASTS = List.of("VARCHAR2(256 CHAR)", "TIMESTAMP(6)", "NUMBER",
            "VARCHAR2(4000 CHAR)", "NUMBER(1)", "NUMBER(3)", "TIMESTAMP(6)", "VARCHAR2(128 CHAR)");

    private final TableName name;
    private final boolean partitionByDay;

    TagTable(TableName name, boolean partitionByDay) {
        this.name = name;
        this.partitionByDay = partitionByDay;
    }

    TableName name() {
        return name;
    }

    String primaryKeyName() {
        String table = name.table();
        return (table.length() > 125 ? table.substring(0, 125) : table) + "_PK";
    }

    String createSql() {
        String sql = "CREATE TABLE " + name.sql() + " ("
                + "TAG_NAME VARCHAR2(256 CHAR) NOT NULL, "
                + "SOURCE_TIME TIMESTAMP(6) NOT NULL, "
                + "NUM_VALUE NUMBER, "
                + "STR_VALUE VARCHAR2(4000 CHAR), "
                + "BOOL_VALUE NUMBER(1), "
                + "QUALITY NUMBER(3) NOT NULL, "
                + "RECEIVED_TIME TIMESTAMP(6) NOT NULL, "
                + "GATEWAY_ID VARCHAR2(128 CHAR) NOT NULL, "
                + "CONSTRAINT " + primaryKeyName() + " PRIMARY KEY (TAG_NAME, SOURCE_TIME)"
                + (partitionByDay ? " USING INDEX LOCAL" : "") + ")";
        if (partitionByDay) {
            sql += " PARTITION BY RANGE (SOURCE_TIME) INTERVAL (NUMTODSINTERVAL(1, 'DAY'))"
                    + " (PARTITION P_START VALUES LESS THAN (TIMESTAMP '2000-01-01 00:00:00'))";
        }
        return sql;
    }

    String writeSql(WriteMode mode) {
        String columns = String.join(", ", COLUMNS);
        String binds = String.join(", ", COLUMNS.stream().map(c -> "?").toList());
        return switch (mode) {
            case INSERT, INSERT_FIRST -> insertSql();
            case IGNORE_DUPLICATES_HINT -> "INSERT /*+ IGNORE_ROW_ON_DUPKEY_INDEX(t, " + primaryKeyName() + ") */ INTO "
                    + name.sql() + " t (" + columns + ") VALUES (" + binds + ")";
            case MERGE -> mergeSql(columns);
        };
    }

    String insertSql() {
        return "INSERT INTO " + name.sql() + " (" + String.join(", ", COLUMNS) + ") VALUES ("
                + String.join(", ", COLUMNS.stream().map(c -> "?").toList()) + ")";
    }

    /**
     * The stored rows of {@code keys} (tag name, source time) pairs: one statement shape for every batch, so that it
     * is parsed once; a shorter list repeats its last pair.
     */
    String lookupSql(int keys) {
        String pairs = String.join(", ", java.util.Collections.nCopies(keys, "(?, ?)"));
        return "SELECT TAG_NAME, SOURCE_TIME, NUM_VALUE, STR_VALUE, BOOL_VALUE, QUALITY, RECEIVED_TIME FROM "
                + name.sql() + " WHERE (TAG_NAME, SOURCE_TIME) IN (" + pairs + ")";
    }

    /** Replaces a stored row's value when the new one was received later: the condition holds against races. */
    String updateIfNewerSql() {
        return "UPDATE " + name.sql() + " SET NUM_VALUE = ?, STR_VALUE = ?, BOOL_VALUE = ?, QUALITY = ?, "
                + "RECEIVED_TIME = ?, GATEWAY_ID = ? WHERE TAG_NAME = ? AND SOURCE_TIME = ? AND RECEIVED_TIME < ?";
    }

    /** The binds are cast so that both Oracle and H2 know their types inside the USING subquery. */
    private String mergeSql(String columns) {
        List<String> selected = new ArrayList<>();
        List<String> sourceColumns = new ArrayList<>();
        for (int i = 0; i < COLUMNS.size(); i++) {
            selected.add("CAST(? AS " + CASTS.get(i) + ") " + COLUMNS.get(i));
            sourceColumns.add("s." + COLUMNS.get(i));
        }
        return "MERGE INTO " + name.sql() + " t USING (SELECT " + String.join(", ", selected) + " FROM DUAL) s"
                + " ON (t.TAG_NAME = s.TAG_NAME AND t.SOURCE_TIME = s.SOURCE_TIME)"
                + " WHEN NOT MATCHED THEN INSERT (" + columns + ") VALUES (" + String.join(", ", sourceColumns) + ")";
    }

    /** The table's columns in upper case, empty when it does not exist. */
    Set<String> columns(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String schema = name.schema() != null ? name.schema() : connection.getSchema();
        Set<String> columns = new LinkedHashSet<>();
        try (ResultSet rs = meta.getColumns(null, schema, name.table(), null)) {
            while (rs.next()) {
                columns.add(rs.getString("COLUMN_NAME").toUpperCase(Locale.ROOT));
            }
        }
        return columns;
    }

    /**
     * Makes sure the table is there and has the columns the writer fills. Creates it only if it is missing and
     * creating is allowed; an existing table is never altered.
     */
    void prepare(Connection connection, boolean create) throws SQLException {
        Set<String> existing = columns(connection);
        if (existing.isEmpty() && create) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(createSql());
            } catch (SQLException e) {
                existing = columns(connection);
                if (existing.isEmpty()) {
                    throw e;
                }
            }
            existing = columns(connection);
        }
        if (existing.isEmpty()) {
            throw new SQLSyntaxErrorException("table " + name.sql() + " does not exist and createTable is off: create "
                    + "it (see README, The table) or turn createTable on", "42000", 942);
        }
        Set<String> present = existing;
        List<String> missing = COLUMNS.stream().filter(c -> !present.contains(c)).toList();
        if (!missing.isEmpty()) {
            throw new SQLSyntaxErrorException("table " + name.sql() + " exists but lacks the columns "
                    + String.join(", ", missing) + "; Tagbridge never alters a table: add them, or set tableName to a "
                    + "new table", "42000", 904);
        }
    }
}
