package io.tagbridge.testkit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A writer's table made by a test with one more column, {@code ROW_ID}, which numbers the rows as they are inserted,
 * and the check that each tag's rows went in in the order of their source times (H2 in Oracle mode).
 */
public final class RowOrder {

    private RowOrder() {
    }

    /** Creates {@code table} with the writer's columns and primary key, and ROW_ID first. */
    public static void createNumberedTable(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (ROW_ID BIGINT GENERATED ALWAYS AS IDENTITY, "
                    + "TAG_NAME VARCHAR2(256 CHAR) NOT NULL, SOURCE_TIME TIMESTAMP(6) NOT NULL, NUM_VALUE NUMBER, "
                    + "STR_VALUE VARCHAR2(4000 CHAR), BOOL_VALUE NUMBER(1), QUALITY NUMBER(3) NOT NULL, "
                    + "RECEIVED_TIME TIMESTAMP(6) NOT NULL, GATEWAY_ID VARCHAR2(128 CHAR) NOT NULL, "
                    + "PRIMARY KEY (TAG_NAME, SOURCE_TIME))");
        }
    }

    /** Rows inserted after a row of their tag with a later source time; 0 when every tag's rows went in in order. */
    public static long rowsBeforeAnOlderValueOfTheirTag(Connection c, String table) throws SQLException {
        return rowsBeforeAnOlderValueOfTheirTag(c, table, "1 = 1");
    }

    /** As {@link #rowsBeforeAnOlderValueOfTheirTag(Connection, String)}, among the rows {@code where} selects. */
    public static long rowsBeforeAnOlderValueOfTheirTag(Connection c, String table, String where)
            throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM (SELECT "
                + "SOURCE_TIME, LAG(SOURCE_TIME) OVER (PARTITION BY TAG_NAME ORDER BY ROW_ID) PREVIOUS FROM " + table
                + " WHERE " + where + ") WHERE PREVIOUS > SOURCE_TIME")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
