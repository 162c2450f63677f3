package io.tagbridge.itests;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.BatchBackup;
import io.tagbridge.api.pipeline.TagBuffer;
import io.tagbridge.testkit.Await;

/**
 * Sets up a pipeline for one test through ConfigAdmin, as an operator would, and removes it afterwards.
 * Every test gets its own pool, table and backup directory.
 */
final class TestPipeline implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final ConfigurationAdmin cm;
    private final BundleContext context = FrameworkUtil.getBundle(TestPipeline.class).getBundleContext();
    private final List<Configuration> created = new ArrayList<>();
    final Path backupDirectory;

    TestPipeline(ConfigurationAdmin cm) throws Exception {
        this.cm = cm;
        Operator.logIn(cm);
        this.backupDirectory = Files.createTempDirectory("tagbridge-backup");
        singleton("io.tagbridge.backup", Map.of("directory", backupDirectory.toString()));
        ServiceTracker<BatchBackup, BatchBackup> backup = new ServiceTracker<>(context, BatchBackup.class, null);
        backup.open();
        try {
            Await.until("backups to go to " + backupDirectory, TIMEOUT,
                    () -> backup.waitForService(TIMEOUT.toMillis()).directory(),
                    dir -> dir.equals(backupDirectory.toAbsolutePath().normalize()));
        } finally {
            backup.close();
        }
    }

    /**
     * Sets a singleton's configuration. It is not deleted afterwards: deleting restarts the component, and the
     * buffer and writers with it, while the next test is already configuring them.
     */
    void singleton(String pid, Map<String, Object> properties) throws IOException {
        Configuration c = cm.getConfiguration(pid, "?");
        Dictionary<String, Object> current = c.getProperties();
        Hashtable<String, Object> updated = new Hashtable<>();
        if (current != null) {
            java.util.Collections.list(current.keys()).forEach(k -> updated.put(k, current.get(k)));
        }
        updated.putAll(properties);
        c.update(updated);
    }

    /** A pool on the test database (H2 in memory, or the oracle profile's Oracle). */
    Configuration pool(String name) throws IOException {
        Hashtable<String, Object> p = new Hashtable<>(TestDatabase.poolSettings(name));
        p.put("name", name);
        return factory("io.tagbridge.oracle.pool", name, p);
    }

    /** A pool on the given URL, always: for tests that need a particular server. */
    Configuration pool(String name, String url) throws IOException {
        return pool(name, url, Map.of());
    }

    /** A pool on the given URL with more settings. */
    Configuration pool(String name, String url, Map<String, Object> more) throws IOException {
        Hashtable<String, Object> p = new Hashtable<>(
                Map.of("name", name, "url", url, "username", "sa", "password", "", "poolMin", 1, "poolMax", 3));
        p.putAll(more);
        return factory("io.tagbridge.oracle.pool", name, p);
    }

    /**
     * A writer on the pool named {@code pool}. On a real Oracle, its table from an earlier run is dropped first,
     * unless the test created the table itself ({@code createTable=false}).
     */
    Configuration writer(String name, String pool, String table, Map<String, Object> more) throws Exception {
        if (!Boolean.FALSE.equals(more.get("createTable"))) {
            TestDatabase.dropIfOracle(dataSource(pool), table);
        }
        Hashtable<String, Object> p = new Hashtable<>(more);
        p.put("name", name);
        p.put("dataSource.target", "(name=" + pool + ")");
        p.put("tableName", table);
        p.putIfAbsent("writeIntervalSeconds", 0.1);
        Configuration c = factory("io.tagbridge.writer", name, p);
        awaitTarget(name);
        return c;
    }

    /**
     * Waits until the buffer has the target's cursor open: a target takes the values offered from then on, so a test
     * offers only after this.
     */
    void awaitTarget(String name) throws Exception {
        ServiceTracker<TagBuffer, TagBuffer> buffer = new ServiceTracker<>(context, TagBuffer.class, null);
        buffer.open();
        try {
            Await.until("target " + name + " to read from the buffer", TIMEOUT,
                    () -> buffer.waitForService(TIMEOUT.toMillis()).status().targets().get(name),
                    t -> t != null && t.deletedAt() == null);
        } finally {
            buffer.close();
        }
    }

    private Configuration factory(String factoryPid, String name, Map<String, Object> properties) throws IOException {
        Configuration c = cm.getFactoryConfiguration(factoryPid, name, "?");
        c.update(new Hashtable<>(properties));
        created.add(c);
        return c;
    }

    static void update(Configuration c, Map<String, Object> changes) throws IOException {
        Dictionary<String, Object> p = c.getProperties();
        changes.forEach(p::put);
        c.update(p);
    }

    DataSource dataSource(String pool) throws Exception {
        ServiceTracker<DataSource, DataSource> tracker = new ServiceTracker<>(context,
                context.createFilter("(&(objectClass=javax.sql.DataSource)(name=" + pool + "))"), null);
        tracker.open();
        try {
            DataSource ds = tracker.waitForService(TIMEOUT.toMillis());
            if (ds == null) {
                throw new AssertionError("no DataSource named " + pool + " within " + TIMEOUT);
            }
            return ds;
        } finally {
            tracker.close();
        }
    }

    static long rows(DataSource ds, String table) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The rows of tags that start with {@code prefix}: a target that takes every tag also stores what other
     * sources in the same framework offer meanwhile.
     */
    static long rows(DataSource ds, String table, String prefix) throws Exception {
        try (Connection c = ds.getConnection();
                java.sql.PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM " + table
                        + " WHERE TAG_NAME LIKE ?")) {
            s.setString(1, prefix + "%");
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The tags of rows that do not start with {@code prefix}, for a failure's message. */
    static java.util.List<String> otherTags(DataSource ds, String table, String prefix) throws Exception {
        java.util.List<String> tags = new java.util.ArrayList<>();
        try (Connection c = ds.getConnection();
                java.sql.PreparedStatement s = c.prepareStatement("SELECT TAG_NAME FROM " + table
                        + " WHERE TAG_NAME NOT LIKE ?")) {
            s.setString(1, prefix + "%");
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    tags.add(rs.getString(1));
                }
            }
        }
        return tags;
    }

    static long distinctKeys(DataSource ds, String table) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT COUNT(*) FROM (SELECT DISTINCT TAG_NAME, SOURCE_TIME FROM " + table + ")")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Every row of every pending backup file (in the targets' folders, open files included), as tag name and source
     * time; replayed and quarantined files are left out.
     */
    List<String> backedUpKeys() throws IOException {
        List<String> keys = new ArrayList<>();
        try (Stream<Path> files = Files.walk(backupDirectory, 2)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".csv")
                    || f.getFileName().toString().endsWith(".csv.part")).sorted().toList()) {
                try (Reader in = Files.newBufferedReader(file)) {
                    for (CSVRecord row : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
                            .setCommentMarker('#').get().parse(in)) {
                        keys.add(row.get("tag_name") + "@" + row.get("source_time"));
                    }
                }
            }
        }
        return keys;
    }

    /** Distinct values: tag {@code prefix + i}, one microsecond apart. */
    static List<TagValue> values(String prefix, int from, int to) {
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        return IntStream.range(from, to)
                .mapToObj(i -> TagValue.of(prefix + (i % 10), base.plusNanos(i * 1000L), (double) i, Quality.GOOD))
                .toList();
    }

    static List<String> keys(Collection<TagValue> values) {
        return values.stream().map(v -> v.tagName() + "@" + v.sourceTime()).toList();
    }

    @Override
    public void close() throws Exception {
        for (int i = created.size() - 1; i >= 0; i--) {
            try {
                created.get(i).delete();
            } catch (IllegalStateException alreadyDeleted) {
                // deleted by the test itself
            }
        }
    }
}
