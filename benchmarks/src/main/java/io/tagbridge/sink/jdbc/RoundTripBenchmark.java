package io.tagbridge.sink.jdbc;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.h2.tools.Server;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.benchmarks.BenchFixtures;
import io.tagbridge.testkit.FaultyLink;
import io.tagbridge.testkit.PostgresServer;
import io.tagbridge.writer.PipelineBenchmark;

/**
 * How many round trips the JDBC sink's batch costs, per write mode and database: what bounds a writer on a long
 * link. The sink writes {@code batches} batches of {@code size} new rows, then the same batches again the
 * duplicate-safe way (a retry, a replay: every row stored already), through testkit's {@link FaultyLink}, which
 * counts the round trips. The connection and its statements are warmed up first, as a writer that keeps writing
 * holds them. H2 always; PostgreSQL when Debian's package is installed (as the tests start it).
 *
 * <p>Arguments: batches size.
 */
public final class RoundTripBenchmark {

    private RoundTripBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int batches = Integer.parseInt(args[0]);
        int size = Integer.parseInt(args[1]);
        System.out.printf("round trips per batch of %d rows, over %d batches%n", size, batches);
        Server h2 = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir",
                BenchFixtures.tempDirectory("tagbridge-round-trips").toString()).start();
        try (FaultyLink link = new FaultyLink(h2.getPort())) {
            measure("H2 " + org.h2.engine.Constants.VERSION, link, PipelineBenchmark.pool(link.url("rt")), batches,
                    size);
        } finally {
            h2.stop();
        }
        PostgresServer postgres;
        try {
            postgres = new PostgresServer();
        } catch (RuntimeException notInstalled) {
            System.out.println("PostgreSQL | not installed, not measured: " + notInstalled.getMessage());
            return;
        }
        try (PostgresServer server = postgres) {
            server.start();
            server.createDatabase("rt");
            System.setProperty("bench.user", PostgresServer.USER);
            System.setProperty("bench.password", PostgresServer.PASSWORD);
            String url = server.url("rt");
            int port = Integer.parseInt(url.replaceAll(".*:(\\d+)/.*", "$1"));
            try (FaultyLink link = new FaultyLink(port)) {
                measure("PostgreSQL", link, PipelineBenchmark.pool(url.replace(":" + port + "/", ":" + link.port + "/")),
                        batches, size);
            }
        }
    }

    private static void measure(String database, FaultyLink link, DataSource db, int batches, int size)
            throws Exception {
        for (WriteMode mode : WriteMode.values()) {
            if (mode == WriteMode.IGNORE_DUPLICATES_HINT) {
                System.out.printf("%s | %s | Oracle only | Oracle only%n", database, mode);
                continue;
            }
            try (Connection c = db.getConnection()) {
                BenchTable.fresh(c);
            }
            JdbcSink sink = BenchTable.sink(db, mode);
            try {
                sink.write(values(-1, size), false);
                long before = link.roundTrips();
                for (int b = 0; b < batches; b++) {
                    sink.write(values(b, size), false);
                }
                double fresh = (double) (link.roundTrips() - before) / batches;
                before = link.roundTrips();
                for (int b = 0; b < batches; b++) {
                    sink.write(values(b, size), true);
                }
                double again = (double) (link.roundTrips() - before) / batches;
                System.out.printf("%s | %s | %.1f | %.1f%n", database, mode, fresh, again);
            } catch (Exception e) { // NOPMD: a mode this database does not know is reported, the others go on
                System.out.printf("%s | %s | n/a | n/a (%s)%n", database, mode, e.getMessage().lines().findFirst()
                        .orElse(e.toString()));
            } finally {
                sink.release();
            }
        }
    }

    /** Batch {@code b}'s rows: keys no other batch has. */
    private static List<ReceivedValue> values(int b, int size) {
        Instant base = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(3600L * (b + 1));
        long received = ReceivedValue.micros(Instant.now());
        List<ReceivedValue> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            values.add(new ReceivedValue(TagValue.of("plc" + (i % 100) + ".tag" + i, base.plusNanos(i * 1000L),
                    i * 0.5, Quality.GOOD), received));
        }
        return values;
    }
}
