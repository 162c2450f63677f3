package io.tagbridge.testkit;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;

/** An in-memory H2 database in Oracle mode that can be made to refuse connections. */
public final class SwitchableDatabase implements DataSource {
    public final JdbcDataSource h2 = new JdbcDataSource();
    public final AtomicBoolean down = new AtomicBoolean();
    /** When set, H2's CHECKPOINT SYNC fails, as a database that cannot sync would. */
    public final AtomicBoolean refuseCheckpoints = new AtomicBoolean();
    public final java.util.concurrent.atomic.AtomicInteger checkpointsRefused = new java.util.concurrent.atomic.AtomicInteger();

    public SwitchableDatabase(String name) {
        h2.setURL("jdbc:h2:mem:" + name + ";MODE=Oracle;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
    }

    public int rows(String table) throws SQLException {
        try (Connection c = h2.getConnection(); var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    public final List<Connection> borrowed = new CopyOnWriteArrayList<>();

    public Connection getConnection() throws SQLException {
        if (down.get()) {
            throw new SQLTransientConnectionException("IO Error: The Network Adapter could not establish the connection", "08006", 17002);
        }
        Connection connection = h2.getConnection();
        borrowed.add(connection);
        return (Connection) java.lang.reflect.Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] { Connection.class }, (proxy, method, args) -> {
                    Object result = invoke(connection, method, args);
                    return result instanceof java.sql.Statement statement
                            && method.getName().equals("createStatement") ? checkpointing(statement) : result;
                });
    }

    private java.sql.Statement checkpointing(java.sql.Statement statement) {
        return (java.sql.Statement) java.lang.reflect.Proxy.newProxyInstance(
                java.sql.Statement.class.getClassLoader(), new Class<?>[] { java.sql.Statement.class },
                (proxy, method, args) -> {
                    if (refuseCheckpoints.get() && method.getName().startsWith("execute") && args != null
                            && args.length > 0 && String.valueOf(args[0]).startsWith("CHECKPOINT")) {
                        checkpointsRefused.incrementAndGet();
                        throw new SQLException("checkpoint refused by the test", "HY000");
                    }
                    return invoke(statement, method, args);
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args)
            throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }
    public Connection getConnection(String u, String p) throws SQLException { return getConnection(); }
    public PrintWriter getLogWriter() { return null; }
    public void setLogWriter(PrintWriter out) { }
    public void setLoginTimeout(int seconds) { }
    public int getLoginTimeout() { return 0; }
    public Logger getParentLogger() { return null; }
    public <T> T unwrap(Class<T> iface) { return null; }
    public boolean isWrapperFor(Class<?> iface) { return false; }
}
