package io.tagbridge.benchmarks;

import io.tagbridge.testkit.PostgresServer;
import io.tagbridge.writer.PipelineBenchmark;

/**
 * PipelineBenchmark against a PostgreSQL server of its own (Debian's package, started as the tests start it), on
 * this machine: the JDBC sink with PostgreSQL's dialect against raw keyed INSERT and INSERT ... ON CONFLICT loops.
 * Arguments as PipelineBenchmark's: rows, runs.
 */
public final class PostgresPipelineBenchmark {

    private PostgresPipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        try (PostgresServer server = new PostgresServer()) {
            server.start();
            server.createDatabase("bench");
            System.setProperty("bench.user", PostgresServer.USER);
            System.setProperty("bench.password", PostgresServer.PASSWORD);
            PipelineBenchmark.main(new String[] { args.length > 0 ? args[0] : "100000",
                    args.length > 1 ? args[1] : "3", server.url("bench") });
        }
    }
}
