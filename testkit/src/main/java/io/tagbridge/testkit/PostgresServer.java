package io.tagbridge.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server (Debian's {@code postgresql} package) in a process of its own, on a free port: the
 * database a pool reaches over TCP, and an outage a test causes by killing it. The server refuses to run as root,
 * so as root it runs as the {@code postgres} user, in a directory that user owns. Statements for the test's own
 * setup go through {@code psql}, so a test needs no driver of its own.
 *
 * <p>Without the package, a test is skipped (see {@link Requirement}); with {@value #REQUIRED} it fails.
 */
public final class PostgresServer implements AutoCloseable {

    /** System property: a missing PostgreSQL fails the test instead of skipping it. */
    public static final String REQUIRED = "tagbridge.postgres.required";

    /** The superuser the tests connect as, and its password. */
    public static final String USER = "tagbridge";
    public static final String PASSWORD = "tagbridge-test";

    private static final Path INSTALLED = Path.of("/usr/lib/postgresql");

    public final int port;
    private final Path bin;
    private final Path dir;
    private final boolean asRoot = "root".equals(System.getProperty("user.name"));
    private Process process;

    /** Creates the server's data directory (initdb); {@link #start()} starts it. */
    public PostgresServer() throws IOException, InterruptedException {
        bin = binaries();
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        dir = Files.createTempDirectory("tagbridge-postgres");
        Files.writeString(dir.resolve("password"), PASSWORD + "\n");
        if (asRoot) {
            UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName("postgres");
            Files.setOwner(dir, postgres);
            Files.setOwner(dir.resolve("password"), postgres);
        }
        run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
                "--pwfile=" + dir.resolve("password"), "--auth=scram-sha-256", "--no-sync", "-E", "UTF8",
                "--locale=C"), Duration.ofMinutes(2));
    }

    /** The newest installed server's programs; the test is skipped (or fails, when required) without one. */
    private static Path binaries() throws IOException {
        if (Files.isDirectory(INSTALLED)) {
            try (Stream<Path> versions = Files.list(INSTALLED)) {
                var newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/postgres")))
                        .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString()
                                .replaceAll("\\D", "0"))));
                if (newest.isPresent()) {
                    return newest.get().resolve("bin");
                }
            }
        }
        throw Requirement.unmet(REQUIRED, "PostgreSQL is not installed (no " + INSTALLED + "/<version>/bin/postgres)",
                "Install Debian's postgresql package: apt-get install postgresql (.ci/run does)");
    }

    /** The JDBC URL of a database of this server. */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Starts the server (again, after {@link #kill()}) and waits until it answers. */
    public void start() throws IOException, InterruptedException {
        process = new ProcessBuilder(command(List.of(bin.resolve("postgres").toString(), "-D",
                dir.resolve("data").toString(), "-p", Integer.toString(port), "-k", dir.toString(),
                "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off",
                "-c", "max_connections=50")))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log")
                        .toFile())).start();
        Await.until("PostgreSQL answering on port " + port, Duration.ofSeconds(60), () -> answers(), up -> up);
    }

    private boolean answers() throws IOException, InterruptedException {
        if (!process.isAlive()) {
            throw new IllegalStateException("PostgreSQL stopped at start: " + log());
        }
        return psql("postgres", "SELECT 1", Duration.ofSeconds(5)).exit() == 0;
    }

    /** Creates a database. */
    public void createDatabase(String name) throws IOException, InterruptedException {
        sql("postgres", "CREATE DATABASE " + name);
    }

    /**
     * Runs statements as the superuser, and returns what psql printed (unaligned, tuples only).
     *
     * @throws IllegalStateException with psql's message when a statement fails
     */
    public String sql(String database, String statements) throws IOException, InterruptedException {
        Result result = psql(database, statements, Duration.ofSeconds(60));
        if (result.exit() != 0) {
            throw new IllegalStateException("psql failed (" + result.exit() + ") on " + statements + ": "
                    + result.output());
        }
        return result.output().trim();
    }

    private record Result(int exit, String output) {
    }

    private Result psql(String database, String statements, Duration timeout) throws IOException,
            InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h",
                "127.0.0.1", "-p", Integer.toString(port), "-U", USER, "-d", database, "-c", statements)
                .redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", PASSWORD);
        builder.environment().put("PGCONNECT_TIMEOUT", "5");
        Process psql = builder.start();
        byte[] output = psql.getInputStream().readAllBytes();
        if (!psql.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            psql.destroyForcibly();
            return new Result(-1, "psql did not answer within " + timeout);
        }
        return new Result(psql.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    /** Kills the server and every backend with SIGKILL, as a crash would: nothing is flushed or closed. */
    public void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : all) {
            p.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> p).join();
        }
        process = null;
    }

    /** What the server logged, for a failure's message. */
    public String log() throws IOException {
        Path log = dir.resolve("server.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private void run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command(command)).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed: "
                    + new String(output, StandardCharsets.UTF_8));
        }
    }

    /** As root, the command runs as the postgres user; setpriv replaces itself, so the pid is the server's. */
    private List<String> command(List<String> command) {
        if (!asRoot) {
            return command;
        }
        List<String> as = new ArrayList<>(List.of("setpriv", "--reuid=postgres", "--regid=postgres",
                "--init-groups", "--"));
        as.addAll(command);
        return as;
    }

    @Override
    public void close() throws Exception {
        kill();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
