package io.tagbridge.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real H2 database server in a process of its own, on a free port of this machine: the database a pool reaches
 * over TCP, which a test can kill (an outage), freeze (a hung database) and start again on the same files.
 */
public final class H2Server implements AutoCloseable {

    public final int port;
    private final Path baseDir;
    private final Path h2Jar;
    private Process process;

    /** A server on the H2 jar of this class path (outside a framework). */
    public H2Server(Path baseDir) throws IOException {
        this(baseDir, jarOf(org.h2.Driver.class));
    }

    /** A server running the given H2 jar: in a framework, the H2 bundle's, so that server and driver agree. */
    public H2Server(Path baseDir, Path h2Jar) throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        this.baseDir = Files.createDirectories(baseDir);
        this.h2Jar = h2Jar;
    }

    private static Path jarOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the jar of " + type, e);
        }
    }

    /**
     * The URL of a database on this server. WRITE_DELAY=0 makes the server write each commit to its file before it
     * answers, as Oracle does with its redo log: otherwise a server killed with SIGKILL forgets commits it confirmed.
     */
    public String url(String database) {
        return userUrl(database) + ";WRITE_DELAY=0";
    }

    /** The URL for a user without admin rights: H2 lets only an admin give a database setting such as WRITE_DELAY. */
    public String userUrl(String database) {
        return "jdbc:h2:tcp://127.0.0.1:" + port + "/" + database + ";MODE=Oracle;DEFAULT_NULL_ORDERING=HIGH";
    }

    /** The URL of a database of this server opened as an embedded file, as a second process would open it. */
    public String embeddedUrl(String database) {
        return "jdbc:h2:file:" + baseDir.resolve(database) + ";MODE=Oracle;DEFAULT_NULL_ORDERING=HIGH";
    }

    /** Starts the server (again, after {@link #kill()}, on the same files) and waits until it listens. */
    public H2Server start() throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        process = new ProcessBuilder(java, GatewayProcess.QUICK_JIT, "-cp", h2Jar.toString(), "org.h2.tools.Server",
                "-tcp", "-tcpPort", Integer.toString(port), "-ifNotExists", "-baseDir", baseDir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                        baseDir.resolve("server.log").toFile())).start();
        Await.until("the H2 server listening on port " + port, Duration.ofSeconds(30), this::accepts);
        return this;
    }

    /** Ends the server the hard way, as a crash or a pulled cable would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Freezes the server: connections stay open and nothing answers, as with a hung database. */
    public void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    public void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** A connection as the server's administrator, through DriverManager: outside a framework only. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(url(database), "sa", "");
    }

    /**
     * The key (tag name @ source time) of every row of TAG_VALUES whose tag starts with {@code tagPrefix}, a row
     * stored twice giving its key twice; none when the table does not exist yet.
     */
    public List<String> storedKeys(String database, String tagPrefix) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (Connection c = connect(database); Statement s = c.createStatement()) {
            try (ResultSet tables = c.getMetaData().getTables(null, null, "TAG_VALUES", null)) {
                if (!tables.next()) {
                    return keys;
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT TAG_NAME, SOURCE_TIME FROM TAG_VALUES WHERE TAG_NAME LIKE '"
                    + tagPrefix + "%'")) {
                while (rs.next()) {
                    keys.add(rs.getString(1) + "@" + rs.getObject(2, LocalDateTime.class).toInstant(ZoneOffset.UTC));
                }
            }
        }
        return keys;
    }

    private boolean accepts() {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            thaw();
            kill();
        }
    }
}
