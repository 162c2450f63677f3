package io.tagbridge.sink.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import io.tagbridge.sink.postgresql.PostgresDialect;

/**
 * The JDBC sink's own table, statements and sink for the pipeline benchmark, whose raw loops must send the same SQL
 * as the sink: it lives in the sink's package to reach them. It knows PostgreSQL's dialect as the gateway does once
 * the dialect bundle is installed.
 */
public final class BenchTable {

    public static final String NAME = "BENCH_VALUES";
    private static final TagTable TABLE = new TagTable(TableName.parse(NAME), false);
    private static final Dialects DIALECTS = new Dialects();

    static {
        DIALECTS.add("PostgreSQL", new PostgresDialect());
    }

    private BenchTable() {
    }

    /** Drops the table and creates it again, empty, as the sink would. */
    public static void fresh(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + NAME);
        }
        TABLE.prepare(c, true, dialect(c));
    }

    /** The statement the sink sends for each batch in this write mode, on this connection's database. */
    public static String writeSql(Connection c, WriteMode mode) throws SQLException {
        return TABLE.writeSql(mode, dialect(c));
    }

    /** The sink the writer would write to this table through, without creating it. */
    public static JdbcSink sink(DataSource db, WriteMode mode) {
        return new JdbcSink(new BatchInserter(db, TABLE, false, mode, ConflictPolicy.KEEP_FIRST, "bench", DIALECTS),
                "table " + NAME);
    }

    private static io.tagbridge.api.sink.jdbc.SqlDialect dialect(Connection c) throws SQLException {
        return DIALECTS.forProduct(c.getMetaData().getDatabaseProductName());
    }
}
