package io.tagbridge.sink.postgresql;

import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.util.List;

import org.osgi.service.component.annotations.Component;

import io.tagbridge.api.sink.jdbc.SqlDialect;

/**
 * PostgreSQL's table and duplicate-safe INSERT for the JDBC sink.
 *
 * <ul>
 * <li>SOURCE_TIME and RECEIVED_TIME are TIMESTAMP(6) WITHOUT TIME ZONE, always UTC, as the sink binds them.
 * <li>NUMERIC keeps longs and decimals exact; text is VARCHAR counted in characters; booleans and quality are
 * SMALLINT, as on Oracle.
 * <li>A commit is durable when it returns (synchronous_commit on, the server's default): no checkpoint is asked.
 * </ul>
 */
@Component(property = SqlDialect.PRODUCT_PROPERTY + "=" + PostgresDialect.PRODUCT)
public class PostgresDialect implements SqlDialect {

    /** What the PostgreSQL driver answers for the database's product name. */
    static final String PRODUCT = "PostgreSQL";

    @Override
    public String createTable(String table, String primaryKey, boolean partitionByDay) throws SQLException {
        if (partitionByDay) {
            throw new SQLSyntaxErrorException("partitionByDay is for Oracle only: turn it off, or create a table "
                    + "PARTITION BY RANGE (SOURCE_TIME) yourself and turn createTable off", "42000");
        }
        return "CREATE TABLE " + table + " ("
                + "TAG_NAME VARCHAR(256) NOT NULL, "
                + "SOURCE_TIME TIMESTAMP(6) NOT NULL, "
                + "NUM_VALUE NUMERIC, "
                + "STR_VALUE VARCHAR(4000), "
                + "BOOL_VALUE SMALLINT, "
                + "QUALITY SMALLINT NOT NULL, "
                + "RECEIVED_TIME TIMESTAMP(6) NOT NULL, "
                + "GATEWAY_ID VARCHAR(128) NOT NULL, "
                + "CONSTRAINT " + primaryKey + " PRIMARY KEY (TAG_NAME, SOURCE_TIME))";
    }

    /** The update count says which rows were stored: 1 for a new row, 0 for a key the table holds. */
    @Override
    public String insertIfAbsent(String table, List<String> columns) {
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", columns.stream().map(c -> "?").toList())
                + ") ON CONFLICT (TAG_NAME, SOURCE_TIME) DO NOTHING";
    }
}
