package io.tagbridge.pool;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * The pool as writers see it. UCP starts its pool and may grow it on any thread that borrows a connection,
 * so every borrow runs with the class loader UCP needs as context loader (see {@link BundleFirstClassLoader}).
 */
final class ContextClassLoaderDataSource implements DataSource {

    private final DataSource pool;
    private final ClassLoader loader;

    ContextClassLoaderDataSource(DataSource pool, ClassLoader loader) {
        this.pool = pool;
        this.loader = loader;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return pool.getConnection();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** One pool, one identity: borrowing as another user would bypass the pool, so it is not offered. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("this pool connects as its configured user only");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(pool) ? iface.cast(pool) : pool.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(pool) || pool.isWrapperFor(iface);
    }
}
