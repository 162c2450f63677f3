package io.tagbridge.writer;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The table the writer fills, and the SQL for it. The types are Oracle's; H2 in Oracle mode accepts them.
 *
 * <ul>
 * <li>TIMESTAMP(6) holds the source time to the microsecond, always in UTC: the writer converts before binding.
 * <li>Numbers go to NUMBER, which keeps longs and decimals exact; text to VARCHAR2 in characters, not bytes.
 * <li>Booleans go to NUMBER(1) (0 or 1), since Oracle before 23ai has no SQL BOOLEAN column.
 * </ul>
 */
final class TagTable {

    static final String COLUMNS = "TAG_NAME, SOURCE_TIME, NUM_VALUE, STR_VALUE, BOOL_VALUE, QUALITY";

    private final TableName name;

    TagTable(TableName name) {
        this.name = name;
    }

    TableName name() {
        return name;
    }

    String createSql() {
        return "CREATE TABLE " + name.sql() + " ("
                + "TAG_NAME VARCHAR2(256 CHAR) NOT NULL, "
                + "SOURCE_TIME TIMESTAMP(6) NOT NULL, "
                + "NUM_VALUE NUMBER, "
                + "STR_VALUE VARCHAR2(4000 CHAR), "
                + "BOOL_VALUE NUMBER(1), "
                + "QUALITY NUMBER(3) NOT NULL)";
    }

    String insertSql() {
        return "INSERT INTO " + name.sql() + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)";
    }

    boolean exists(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String schema = name.schema() != null ? name.schema() : connection.getSchema();
        try (ResultSet tables = meta.getTables(null, schema, name.table(), new String[] { "TABLE" })) {
            return tables.next();
        }
    }

    /** Creates the table unless it exists; safe when another writer creates it at the same moment. */
    void createIfMissing(Connection connection) throws SQLException {
        if (exists(connection)) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(createSql());
        } catch (SQLException e) {
            if (!exists(connection)) {
                throw e;
            }
        }
    }
}
