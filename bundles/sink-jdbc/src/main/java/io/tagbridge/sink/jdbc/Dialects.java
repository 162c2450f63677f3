package io.tagbridge.sink.jdbc;

import java.sql.SQLTransientException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.tagbridge.api.sink.jdbc.SqlDialect;

/** The dialects the sink knows, by database product name: Oracle and H2 built in, others as services come. */
final class Dialects {

    /** No dialect for the database: transient, as it ends once the bundle with the dialect is installed. */
    static final class Missing extends SQLTransientException {
        private static final long serialVersionUID = 1L;

        Missing(String product) {
            super("no dialect for database product '" + product + "': install the bundle that provides it ("
                    + "PostgreSQL: io.tagbridge.sink-postgresql)");
        }
    }

    private static final Map<String, SqlDialect> BUILT_IN = Map.of(OracleDialect.PRODUCT, new OracleDialect(),
            H2Dialect.PRODUCT, new H2Dialect());

    private final Map<String, SqlDialect> byProduct = new ConcurrentHashMap<>(BUILT_IN);

    SqlDialect forProduct(String product) throws Missing {
        SqlDialect dialect = byProduct.get(product);
        if (dialect == null) {
            throw new Missing(product);
        }
        return dialect;
    }

    void add(String product, SqlDialect dialect) {
        byProduct.put(product, dialect);
    }

    void remove(String product, SqlDialect dialect) {
        if (byProduct.remove(product, dialect) && BUILT_IN.containsKey(product)) {
            byProduct.put(product, BUILT_IN.get(product));
        }
    }
}
