package io.tagbridge.gateway.smoke;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
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

import io.tagbridge.testkit.Await;

/**
 * An H2 database server in a process of its own, on a free port: a remote database the gateway writes to, which a
 * test can kill (an outage), freeze (a hung database) and start again on the same files.
 */
final class H2Server implements AutoCloseable {

    final int port;
    private final Path baseDir;
    private Process process;

    H2Server(Path baseDir) throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        this.baseDir = Files.createDirectories(baseDir);
    }

    /**
     * The database's URL. WRITE_DELAY=0: the server writes each commit to its file before it answers, so a server
     * killed with SIGKILL keeps every commit it confirmed.
     */
    String url(String database) {
        return "jdbc:h2:tcp://127.0.0.1:" + port + "/" + database + ";MODE=Oracle;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
    }

    H2Server start() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String h2 = Path.of(org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        process = new ProcessBuilder(java, "-cp", h2, "org.h2.tools.Server", "-tcp", "-tcpPort",
                Integer.toString(port), "-ifNotExists", "-baseDir", baseDir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                        baseDir.resolve("server.log").toFile())).start();
        Await.until("the H2 server listening on port " + port, Duration.ofSeconds(30), this::accepts);
        return this;
    }

    /** Ends the server the hard way, as a crash or a pulled cable would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Freezes the server: connections stay open and nothing answers, as with a hung database. */
    void freeze() throws Exception {
        signal("STOP");
    }

    void thaw() throws Exception {
        signal("CONT");
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
        }
    }

    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(url(database), "sa", "");
    }

    /**
     * The key (tag name @ source time) of every row of TAG_VALUES whose tag starts with {@code tagPrefix}, a row
     * stored twice giving its key twice; none when the table does not exist yet.
     */
    List<String> storedKeys(String database, String tagPrefix) throws SQLException {
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
