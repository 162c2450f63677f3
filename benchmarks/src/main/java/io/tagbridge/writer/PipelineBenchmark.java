package io.tagbridge.writer;

import static io.tagbridge.benchmarks.BenchFixtures.NO_BACKUP;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import io.tagbridge.benchmarks.BenchFixtures;
import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.WriteRecorder;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.sink.TagSink;
import io.tagbridge.api.sink.WriteResult;
import io.tagbridge.sink.jdbc.BenchTable;
import io.tagbridge.sink.jdbc.WriteMode;
import io.tagbridge.api.pipeline.TargetCursor;
import io.tagbridge.buffer.BenchBuffer;
import io.tagbridge.buffer.SyncPolicy;
import oracle.ucp.jdbc.PoolDataSource;
import oracle.ucp.jdbc.PoolDataSourceFactory;

/**
 * Pipeline against raw JDBC, in one run against the same database: (a) the rows inserted with executeBatch on
 * one connection, one commit per batch, which is the limit; (b) the same rows offered through the buffer and
 * written by the writer's own classes (the gateway's code without the OSGi service layer). Prints the median of
 * several runs for each batch size and write mode, and the ratio b/a. Raw MERGE, the same loop with the
 * writer's MERGE statement, shows what idempotence costs apart from the pipeline.
 *
 * <p>Lives in the writer's package to build the writer from its package-private parts, as the component does.
 */
public final class PipelineBenchmark {

    /** Whether the buffer keeps its values in the journal on disk (the default) or in memory: -Dbench.journal=false. */
    private static final boolean JOURNAL = Boolean.parseBoolean(System.getProperty("bench.journal", "true"));

    /** The sweep; -Dbench.batches=100,500 runs only those. */
    private static final int[] BATCH_SIZES = Arrays.stream(
            System.getProperty("bench.batches", "50,100,250,500,1000,2000").split(",")).map(String::trim)
            .mapToInt(Integer::parseInt).toArray();

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String url = args.length > 2 ? args[2] : null;
        Path dir = BenchFixtures.tempDirectory("tagbridge-bench");
        if (url == null) {
            url = "jdbc:h2:file:" + dir.resolve("bench") + ";MODE=Oracle;DEFAULT_NULL_ORDERING=HIGH";
        }
        DataSource db = pool(url);
        List<TagValue> values = values(rows);
        System.out.printf("database %s, %,d rows per run, median of %d runs, %d cores, Java %s, buffer %s%n", url,
                rows, runs, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                JOURNAL ? "journal on disk" : "in memory");
        System.out.printf("%-6s %12s %14s %8s %12s %12s %8s %14s %14s %8s%n", "batch", "raw INSERT/s",
                "INSERT_FIRST/s", "ratio", "raw MERGE/s", "MERGE/s", "MERGE/raw", "again rawM/s", "again safe/s",
                "ratio");
        for (int batchSize : BATCH_SIZES) {
            double raw = median(runs, () -> raw(db, values, batchSize, WriteMode.INSERT, false));
            double first = median(runs, () -> pipeline(db, values, batchSize, WriteMode.INSERT_FIRST));
            double rawMerge = median(runs, () -> raw(db, values, batchSize, WriteMode.MERGE, false));
            double merge = median(runs, () -> pipeline(db, values, batchSize, WriteMode.MERGE));
            double mergeAgain = median(runs, () -> raw(db, values, batchSize, WriteMode.MERGE, true));
            double safeAgain = median(runs, () -> duplicateSafeAgain(db, values, batchSize));
            System.out.printf("%-6d %,12.0f %,14.0f %8.2f %,12.0f %,12.0f %8.2f %,14.0f %,14.0f %8.2f%n", batchSize,
                    raw, first, first / raw, rawMerge, merge, merge / rawMerge, mergeAgain, safeAgain,
                    safeAgain / mergeAgain);
        }
    }

    interface Run {
        double rowsPerSecond() throws Exception;
    }

    /** The median of {@code runs} runs' values/s; the catch-up benchmark measures with it too. */
    static double median(int runs, Run run) throws Exception {
        double[] results = new double[runs];
        for (int i = 0; i < runs; i++) {
            results[i] = run.rowsPerSecond();
        }
        Arrays.sort(results);
        return results[runs / 2];
    }

    /**
     * (a) executeBatch on one connection, one commit per batch, the same table and the same bound columns; with
     * {@code again}, into a table that holds every row already (what a replay of stored rows meets).
     */
    static double raw(DataSource db, List<TagValue> values, int batchSize, WriteMode mode, boolean again)
            throws Exception {
        freshTable(db);
        if (again) {
            raw(db, values, batchSize, WriteMode.INSERT, false);
        }
        Timestamp received = Timestamp.from(Instant.now());
        try (Connection c = db.getConnection();
                PreparedStatement insert = c.prepareStatement(BenchTable.writeSql(c, mode))) {
            c.setAutoCommit(false);
            long start = System.nanoTime();
            for (int i = 0; i < values.size(); i++) {
                TagValue v = values.get(i);
                insert.setString(1, v.tagName());
                insert.setTimestamp(2, Timestamp.from(v.sourceTime()));
                insert.setDouble(3, (Double) v.value());
                insert.setNull(4, java.sql.Types.VARCHAR);
                insert.setNull(5, java.sql.Types.NUMERIC);
                insert.setInt(6, v.quality().code());
                insert.setTimestamp(7, received);
                insert.setString(8, "bench");
                insert.addBatch();
                if ((i + 1) % batchSize == 0 || i == values.size() - 1) {
                    insert.executeBatch();
                    c.commit();
                }
            }
            return values.size() / seconds(start);
        }
    }

    /** (b) a producer offers the values in lists of 100; timed until the writer has committed the last one. */
    private static double pipeline(DataSource db, List<TagValue> values, int batchSize, WriteMode mode)
            throws Exception {
        freshTable(db);
        // batches of this size only, through one connection: no growth while values wait and no split, so that
        // both loops write the same batches
        TargetSettings settings = TargetSettings.read(Map.of("name", "bench", "batchSize", batchSize,
                "catchUpBatchSize", batchSize, "writeConnections", 1)).settings();
        Path journal = BenchFixtures.tempDirectory("bench-journal");
        BenchBuffer buffer = JOURNAL ? BenchBuffer.journal(journal, SyncPolicy.PERIODIC) : BenchBuffer.memory();
        TargetCursor cursor = buffer.open("bench");
        CountingRecorder recorder = new CountingRecorder(values.size());
        StopSignal stop = new StopSignal();
        TagSink inserter = BenchTable.sink(db, mode);
        Delivery delivery = new Delivery(settings, inserter, NO_BACKUP, () -> recorder, stop, JOURNAL, () -> false);
        Thread writer = new Thread(new WriteLoop(settings, cursor, delivery, inserter, stop,
                new Replayer(settings, NO_BACKUP, delivery, inserter, () -> recorder),
                new OutageSummary("bench", () -> 0, JOURNAL)), "bench-writer");
        writer.start();
        long start = System.nanoTime();
        for (int i = 0; i < values.size(); i += 100) {
            if (!buffer.offer(values.subList(i, Math.min(i + 100, values.size()))).allAccepted()) {
                throw new IllegalStateException("the buffer refused values");
            }
        }
        if (!recorder.done.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("only " + recorder.written + " rows written");
        }
        double rate = values.size() / seconds(start);
        stop.stop();
        cursor.wake();
        writer.join();
        cursor.close();
        buffer.close();
        return rate;
    }

    /** The writer's duplicate-safe way (a replay) over a table that holds every row already. */
    private static double duplicateSafeAgain(DataSource db, List<TagValue> values, int batchSize) throws Exception {
        raw(db, values, batchSize, WriteMode.INSERT, false);
        TagSink inserter = BenchTable.sink(db, WriteMode.INSERT_FIRST);
        long received = ReceivedValue.micros(Instant.now());
        List<ReceivedValue> all = values.stream().map(v -> new ReceivedValue(v, received)).toList();
        long start = System.nanoTime();
        for (int i = 0; i < all.size(); i += batchSize) {
            WriteResult stored = inserter.write(all.subList(i, Math.min(i + batchSize, all.size())), true);
            if (stored.written() != 0) {
                throw new IllegalStateException("a stored row was written again");
            }
        }
        double rate = values.size() / seconds(start);
        inserter.release();
        return rate;
    }

    static void freshTable(DataSource db) throws Exception {
        try (Connection c = db.getConnection()) {
            BenchTable.fresh(c);
        }
    }

    static List<TagValue> values(int rows) {
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        List<TagValue> values = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            values.add(TagValue.of("plc" + (i % 100) + ".tag" + (i % 1000), base.plusNanos(i * 1000L), i * 0.5,
                    Quality.GOOD));
        }
        return values;
    }

    /** UCP over H2, as the pool bundle builds it for the embedded database. */
    public static DataSource pool(String url) throws Exception {
        PoolDataSource pool = PoolDataSourceFactory.getPoolDataSource();
        pool.setConnectionFactoryClassName(url.startsWith("jdbc:h2:") ? "org.h2.jdbcx.JdbcDataSource"
                : url.startsWith("jdbc:postgresql:") ? "org.postgresql.Driver" : "oracle.jdbc.pool.OracleDataSource");
        pool.setURL(url);
        pool.setUser(System.getProperty("bench.user", "sa"));
        pool.setPassword(System.getProperty("bench.password", ""));
        pool.setInitialPoolSize(2);
        pool.setMinPoolSize(2);
        pool.setMaxPoolSize(5);
        pool.setValidateConnectionOnBorrow(Boolean.parseBoolean(System.getProperty("bench.validateOnBorrow", "true")));
        pool.setMaxStatements(Integer.getInteger("bench.statementCache", 0));
        return pool;
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static final class CountingRecorder implements WriteRecorder {
        final AtomicLong written = new AtomicLong();
        final CountDownLatch done = new CountDownLatch(1);
        final long expected;

        CountingRecorder(long expected) {
            this.expected = expected;
        }

        @Override
        public void written(String target, java.util.List<io.tagbridge.api.pipeline.ReceivedValue> values,
                int alreadyStored, long latencyNanos) {
            if (written.addAndGet(values.size()) >= expected) {
                done.countDown();
            }
        }
    }
}
