package io.tagbridge.sink.jdbc;

import java.util.ArrayList;
import java.util.List;

import io.tagbridge.api.sink.jdbc.SqlDialect;

/**
 * Oracle's table and duplicate-safe INSERT. The types are chosen for a historian:
 *
 * <ul>
 * <li>SOURCE_TIME and RECEIVED_TIME are TIMESTAMP(6), always UTC (the sink converts before binding): microseconds,
 * and no session time zone can shift them. TIMESTAMP WITH TIME ZONE would store an offset that is always +00:00.
 * <li>Numbers go to NUMBER, which keeps longs and decimals exact; text to VARCHAR2 counted in characters, not bytes.
 * <li>Booleans go to NUMBER(1) (0 or 1): Oracle before 23ai has no BOOLEAN column.
 * </ul>
 */
class OracleDialect implements SqlDialect {

    static final String PRODUCT = "Oracle";

    private static final List<String> TYPES = List.of("VARCHAR2(256 CHAR)", "TIMESTAMP(6)", "NUMBER",
            "VARCHAR2(4000 CHAR)", "NUMBER(1)", "NUMBER(3)", "TIMESTAMP(6)", "VARCHAR2(128 CHAR)");

    @Override
    public String createTable(String table, String primaryKey, boolean partitionByDay) {
        String sql = "CREATE TABLE " + table + " ("
                + "TAG_NAME VARCHAR2(256 CHAR) NOT NULL, "
                + "SOURCE_TIME TIMESTAMP(6) NOT NULL, "
                + "NUM_VALUE NUMBER, "
                + "STR_VALUE VARCHAR2(4000 CHAR), "
                + "BOOL_VALUE NUMBER(1), "
                + "QUALITY NUMBER(3) NOT NULL, "
                + "RECEIVED_TIME TIMESTAMP(6) NOT NULL, "
                + "GATEWAY_ID VARCHAR2(128 CHAR) NOT NULL, "
                + "CONSTRAINT " + primaryKey + " PRIMARY KEY (TAG_NAME, SOURCE_TIME)"
                + (partitionByDay ? " USING INDEX LOCAL" : "") + ")";
        if (partitionByDay) {
            sql += " PARTITION BY RANGE (SOURCE_TIME) INTERVAL (NUMTODSINTERVAL(1, 'DAY'))"
                    + " (PARTITION P_START VALUES LESS THAN (TIMESTAMP '2000-01-01 00:00:00'))";
        }
        return sql;
    }

    /** A MERGE; the binds are cast so that both Oracle and H2 know their types inside the USING subquery. */
    @Override
    public String insertIfAbsent(String table, List<String> columns) {
        List<String> selected = new ArrayList<>();
        List<String> sourceColumns = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            selected.add("CAST(? AS " + TYPES.get(i) + ") " + columns.get(i));
            sourceColumns.add("s." + columns.get(i));
        }
        return "MERGE INTO " + table + " t USING (SELECT " + String.join(", ", selected) + " FROM DUAL) s"
                + " ON (t.TAG_NAME = s.TAG_NAME AND t.SOURCE_TIME = s.SOURCE_TIME)"
                + " WHEN NOT MATCHED THEN INSERT (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", sourceColumns) + ")";
    }
}
