package io.tagbridge.itests;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import io.tagbridge.testkit.Await;

/**
 * A real H2 database server in a separate process, on a free port of this machine: the database a pool
 * reaches over TCP, and an outage a test can cause by killing it.
 */
final class H2ServerProcess implements AutoCloseable {

    final int port;
    private final Path baseDir;
    private Process process;

    H2ServerProcess() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        baseDir = Files.createTempDirectory("tagbridge-h2server");
    }

    /**
     * The URL of a database on this server. WRITE_DELAY=0 makes the server write each commit to its file before it
     * answers, as Oracle does with its redo log: otherwise a server killed with SIGKILL forgets commits it confirmed.
     */
    String url(String database) {
        return "jdbc:h2:tcp://127.0.0.1:" + port + "/" + database
                + ";MODE=Oracle;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
    }

    /** The URL for a user without admin rights: H2 lets only an admin give a database setting such as WRITE_DELAY. */
    String userUrl(String database) {
        return "jdbc:h2:tcp://127.0.0.1:" + port + "/" + database + ";MODE=Oracle;DEFAULT_NULL_ORDERING=HIGH";
    }

    /** The URL of a database of this server opened as an embedded file, as a second process would open it. */
    String embeddedUrl(String database) {
        return "jdbc:h2:file:" + baseDir.resolve(database) + ";MODE=Oracle;DEFAULT_NULL_ORDERING=HIGH";
    }

    void start() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        process = new ProcessBuilder(java, "-cp", h2Jar(), "org.h2.tools.Server", "-tcp", "-tcpPort",
                Integer.toString(port), "-ifNotExists", "-baseDir", baseDir.toString())
                .redirectErrorStream(true).redirectOutput(baseDir.resolve("server.log").toFile()).start();
        Await.until("H2 server listening on port " + port, Duration.ofSeconds(30), this::accepts, up -> up);
    }

    /** Ends the server the hard way, as a crash or a pulled cable would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    private boolean accepts() {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The H2 jar the framework installed, so the server runs the same version as the driver. */
    private static String h2Jar() {
        BundleContext context = FrameworkUtil.getBundle(H2ServerProcess.class).getBundleContext();
        Bundle h2 = Arrays.stream(context.getBundles()).filter(b -> "com.h2database".equals(b.getSymbolicName()))
                .findFirst().orElseThrow(() -> new IllegalStateException("the H2 bundle is not installed"));
        String location = h2.getLocation().replaceFirst("^reference:", "").replaceFirst("^file:", "");
        return new File(location).getAbsolutePath();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }
}
