package io.tagbridge.writer;

import java.io.PrintWriter;
import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.BackupException;
import io.tagbridge.api.pipeline.BatchBackup;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.TargetCursor;
import io.tagbridge.api.pipeline.WriteRecorder;
import io.tagbridge.api.pipeline.Diagnosis;
import io.tagbridge.api.pipeline.TargetState;
import io.tagbridge.testkit.ConfigDefaults;

/** Test doubles with real behaviour: an H2 database that can be switched off, a queue, a backup list. */
final class Fixtures {

    private Fixtures() {
    }

    static final Instant RECEIVED = Instant.parse("2026-01-01T00:00:05Z");

    static List<ReceivedValue> values(int from, int to) {
        return IntStream.range(from, to)
                .mapToObj(i -> received(TagValue.of("tag" + i, Instant.parse("2026-01-01T00:00:00Z").plusMillis(i),
                        (long) i, Quality.GOOD)))
                .toList();
    }

    static ReceivedValue received(TagValue value) {
        return new ReceivedValue(value, ReceivedValue.micros(RECEIVED));
    }

    static WriterSettings settings(int batchSize, Duration interval, int retries, Duration retryDelay) {
        return settings(batchSize, interval, retries, retryDelay, WriteMode.INSERT_FIRST);
    }

    static WriterSettings settings(int batchSize, Duration interval, int retries, Duration retryDelay, WriteMode mode) {
        return settings(batchSize, interval, retries, retryDelay, mode, ConflictPolicy.KEEP_FIRST);
    }

    static WriterSettings settings(int batchSize, Duration interval, int retries, Duration retryDelay, WriteMode mode,
            ConflictPolicy conflicts) {
        return new WriterSettings("test", TableName.parse("TAG_VALUES"), true, false, mode, "gw-1", batchSize,
                interval, retries, retryDelay, Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(60),
                Duration.ofSeconds(5), List.of(), OutageMode.BACKUP, conflicts, 5000);
    }

    static BatchInserter inserter(DataSource db, WriterSettings settings) {
        return new BatchInserter(db, new TagTable(settings.table(), false), true, settings.writeMode(),
                settings.conflictPolicy(), settings.gatewayId());
    }

    /** An in-memory H2 database in Oracle mode that can be made to refuse connections. */
    static final class SwitchableDatabase implements DataSource {
        final JdbcDataSource h2 = new JdbcDataSource();
        final AtomicBoolean down = new AtomicBoolean();
        /** When set, H2's CHECKPOINT SYNC fails, as a database that cannot sync would. */
        final AtomicBoolean refuseCheckpoints = new AtomicBoolean();
        final java.util.concurrent.atomic.AtomicInteger checkpointsRefused = new java.util.concurrent.atomic.AtomicInteger();

        SwitchableDatabase(String name) {
            h2.setURL("jdbc:h2:mem:" + name + ";MODE=Oracle;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
            h2.setUser("sa");
        }

        int rows(String table) throws SQLException {
            try (Connection c = h2.getConnection(); var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                return rs.getInt(1);
            }
        }

        final List<Connection> borrowed = new CopyOnWriteArrayList<>();

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

    /**
     * A target's cursor over an in-memory list, standing in for the buffer bundle: values are taken, settled or
     * rewound as the real one does, and what was settled how is recorded.
     */
    static final class ListCursor implements TargetCursor {
        final List<ReceivedValue> values = new ArrayList<>();
        final List<String> settlements = new CopyOnWriteArrayList<>();
        final boolean persistent;
        int settled;
        int read;
        int durableUpTo;
        private int handedOut;
        private boolean repeating;
        private boolean woken;

        ListCursor(boolean persistent) {
            this.persistent = persistent;
        }

        synchronized void offer(List<ReceivedValue> more) {
            values.addAll(more);
            notifyAll();
        }

        synchronized List<ReceivedValue> unsettled() {
            return List.copyOf(values.subList(settled, values.size()));
        }

        public String target() { return "test"; }
        public boolean persistent() { return persistent; }

        public synchronized int next(Collection<? super ReceivedValue> sink, int max, long timeout, TimeUnit unit)
                throws InterruptedException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            while (values.size() - read < max && deadline - System.nanoTime() > 0 && !woken) {
                wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
            woken = false;
            int n = Math.min(max, values.size() - read);
            repeating = read < handedOut;
            sink.addAll(values.subList(read, read + n));
            read += n;
            handedOut = Math.max(handedOut, read);
            return n;
        }

        public synchronized void settle(int written, int alreadyStored, int backedUp, boolean durable) {
            settled += written + alreadyStored + backedUp;
            settlements.add(written + "/" + alreadyStored + "/" + backedUp + (durable ? " durable" : ""));
            if (durable) {
                durableUpTo = settled;
            }
        }

        public synchronized void durable() { durableUpTo = settled; }
        public synchronized void rewind() { read = settled; }
        public synchronized void wake() { woken = true; notifyAll(); }
        public synchronized void close() { read = settled; }
        public synchronized boolean repeating() { return repeating; }
    }

    /** Keeps backed-up batches in memory; can be made to fail like a full disk. */
    static final class ListBackup implements BatchBackup {
        final List<List<ReceivedValue>> batches = new CopyOnWriteArrayList<>();
        final List<String> reasons = new CopyOnWriteArrayList<>();
        final AtomicBoolean full = new AtomicBoolean();

        public Path save(String target, List<ReceivedValue> values, String reason) throws BackupException {
            if (full.get()) {
                throw new BackupException("No space left on device", null);
            }
            batches.add(List.copyOf(values));
            reasons.add(reason);
            return Path.of("backup_" + batches.size() + ".csv");
        }

        public Path directory() {
            return Path.of(".");
        }

        public io.tagbridge.api.pipeline.BackupStatus status() {
            return null;
        }

        public List<io.tagbridge.api.pipeline.BackupFile> files() {
            return List.of();
        }

        public List<ReceivedValue> read(Path file) {
            return List.of();
        }

        List<ReceivedValue> all() {
            List<ReceivedValue> all = new ArrayList<>();
            batches.forEach(all::addAll);
            return all;
        }
    }

    /** Records what a writer reports. */
    static final class Events implements WriteRecorder {
        final List<Integer> written = new CopyOnWriteArrayList<>();
        final List<Integer> alreadyStored = new CopyOnWriteArrayList<>();
        final List<String> failed = new CopyOnWriteArrayList<>();
        final List<TargetState> states = new CopyOnWriteArrayList<>();
        final List<Diagnosis> diagnoses = new CopyOnWriteArrayList<>();

        public void written(String target, List<ReceivedValue> values, int stored, long latencyNanos) {
            written.add(values.size());
            alreadyStored.add(stored);
        }

        public void failed(String target, int values, long latencyNanos, Diagnosis why) {
            failed.add(why.error() + ": " + why.advice());
        }

        public void state(String target, TargetState state, Diagnosis why) {
            states.add(state);
            diagnoses.add(why);
        }
    }

    /** A writer's configuration with the real defaults (see ConfigDefaults) but for its batch size and table. */
    static WriterConfig config(int batchSize, String table) {
        return new WriterConfig() {
            public Class<? extends Annotation> annotationType() { return WriterConfig.class; }
            public String name() { return d("name"); }
            public String webconsole_configurationFactory_nameHint() { return d("webconsole_configurationFactory_nameHint"); }
            public String dataSource_target() { return d("dataSource_target"); }
            public String tableName() { return table; }
            public boolean createTable() { return d("createTable"); }
            public int batchSize() { return batchSize; }
            public double writeIntervalSeconds() { return d("writeIntervalSeconds"); }
            public int retryMax() { return d("retryMax"); }
            public double retryDelaySeconds() { return d("retryDelaySeconds"); }
            public double retryMaxDelaySeconds() { return d("retryMaxDelaySeconds"); }
            public double outageProbeSeconds() { return d("outageProbeSeconds"); }
            public double refusedSettingsRetrySeconds() { return d("refusedSettingsRetrySeconds"); }
            public boolean partitionByDay() { return d("partitionByDay"); }
            public WriteMode writeMode() { return d("writeMode"); }
            public ConflictPolicy conflictPolicy() { return d("conflictPolicy"); }
            public int replayValuesPerSecond() { return d("replayValuesPerSecond"); }
            public String gatewayId() { return d("gatewayId"); }
            public double stopFlushSeconds() { return d("stopFlushSeconds"); }
            public String[] tagFilter() { return d("tagFilter"); }
            public OutageMode outageMode() { return d("outageMode"); }

            private <T> T d(String element) {
                return ConfigDefaults.of(WriterConfig.class, element);
            }
        };
    }
}
