package io.tagbridge.sink.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.tagbridge.api.sink.jdbc.SqlDialect;

/**
 * The table the writer fills, and every statement the writer sends to it; where databases differ, its dialect
 * says. The primary key is the natural key (TAG_NAME, SOURCE_TIME): it makes repeated writes harmless.
 */
final class TagTable {

    static final List<String> COLUMNS = List.of("TAG_NAME", "SOURCE_TIME", "NUM_VALUE", "STR_VALUE", "BOOL_VALUE",
            "QUALITY", "RECEIVED_TIME", "GATEWAY_ID");

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

    String createSql(SqlDialect dialect) throws SQLException {
        return dialect.createTable(name.sql(), primaryKeyName(), partitionByDay);
    }

    String writeSql(WriteMode mode, SqlDialect dialect) {
        return switch (mode) {
            case INSERT, INSERT_FIRST -> insertSql();
            case IGNORE_DUPLICATES_HINT -> "INSERT /*+ IGNORE_ROW_ON_DUPKEY_INDEX(t, " + primaryKeyName() + ") */ INTO "
                    + name.sql() + " t (" + String.join(", ", COLUMNS) + ") VALUES ("
                    + String.join(", ", COLUMNS.stream().map(c -> "?").toList()) + ")";
            case MERGE -> dialect.insertIfAbsent(name.sql(), COLUMNS);
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

    /** The table's columns in upper case, empty when it does not exist. */
    Set<String> columns(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String schema = name.schema() != null ? name.schema() : connection.getSchema();
        String table = name.table();
        if (meta.storesLowerCaseIdentifiers()) {
            // PostgreSQL folds unquoted names to lower case, where Oracle and H2 fold them to upper case.
            schema = schema == null ? null : schema.toLowerCase(Locale.ROOT);
            table = table.toLowerCase(Locale.ROOT);
        }
        Set<String> columns = new LinkedHashSet<>();
        try (ResultSet rs = meta.getColumns(null, schema, table, null)) {
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
    void prepare(Connection connection, boolean create, SqlDialect dialect) throws SQLException {
        Set<String> existing = columns(connection);
        if (existing.isEmpty() && create) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(createSql(dialect));
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
