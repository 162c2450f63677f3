package io.tagbridge.sink.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The JDBC sink's own table and statements for the pipeline benchmark, whose raw loops must send the same SQL as
 * the sink: it lives in the sink's package to reach them.
 */
public final class BenchTable {

    public static final String NAME = "BENCH_VALUES";
    private static final TagTable TABLE = new TagTable(TableName.parse(NAME), false);

    private BenchTable() {
    }

    /** Drops the table and creates it again, empty, as the sink would. */
    public static void fresh(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + NAME);
        }
        TABLE.prepare(c, true, new H2Dialect());
    }

    /** The statement the sink sends for each batch in this write mode. */
    public static String writeSql(WriteMode mode) {
        return TABLE.writeSql(mode, new H2Dialect());
    }
}
