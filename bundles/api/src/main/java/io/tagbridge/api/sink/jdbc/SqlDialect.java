package io.tagbridge.api.sink.jdbc;

import java.sql.SQLException;
import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The SQL one kind of database needs where databases differ. Register it as a service with
 * {@value #PRODUCT_PROPERTY}; the JDBC sink picks it for connections whose
 * {@link java.sql.DatabaseMetaData#getDatabaseProductName()} is that name. Everything else (plain INSERT
 * batches, the duplicate-safe lookup, the standard SQLSTATEs) is the sink's.
 */
@ConsumerType
public interface SqlDialect {

    /** Service property: the database product name this dialect serves, such as {@code PostgreSQL}. */
    String PRODUCT_PROPERTY = "tagbridge.jdbc.product";

    /**
     * CREATE TABLE for the values table (see the package description for its columns).
     *
     * @param table          the table's name as SQL writes it, schema-qualified when configured so
     * @param primaryKey     the name of its primary key constraint
     * @param partitionByDay whether the operator asked for a table partitioned by day of SOURCE_TIME
     * @throws SQLException  naming the setting, when the database cannot do what is asked
     */
    String createTable(String table, String primaryKey, boolean partitionByDay) throws SQLException;

    /**
     * One row's INSERT that stores nothing, with an update count of 0, when the table holds the row's key already:
     * the columns bound in order, one {@code ?} each.
     */
    String insertIfAbsent(String table, List<String> columns);

    /**
     * The statement that makes committed rows durable, for a database whose commits return before they are on
     * disk (H2's CHECKPOINT SYNC); null when a commit is durable once it returns.
     */
    default String makeDurable() {
        return null;
    }
}
