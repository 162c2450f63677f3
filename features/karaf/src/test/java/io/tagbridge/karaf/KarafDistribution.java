package io.tagbridge.karaf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.tagbridge.testkit.GatewayHttp;

/**
 * A stock Apache Karaf distribution, copied from the one the build unpacked, started as a user starts it
 * ({@code bin/karaf server}). The only changes are the ones an operator makes in etc/: the Tagbridge features
 * repository and feature, the repository of this build's bundles in place of an installed one, and a free port.
 */
final class KarafDistribution implements AutoCloseable {

    static final String VERSION = System.getProperty("tagbridge.version");

    final Path home;
    final int port;
    private final GatewayHttp http;
    private Process process;

    KarafDistribution(Path home) throws IOException {
        this.home = home;
        copy(Path.of(System.getProperty("karaf.home")), home);
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        http = GatewayHttp.local(port).timeout(Duration.ofSeconds(10));
        // The feature's own configuration (port 8000) is not written where the operator has a file already.
        Files.writeString(home.resolve("etc/org.apache.felix.http.cfg"), "org.osgi.service.http.port = " + port
                + "\norg.apache.felix.http.host = 127.0.0.1\n");
        Path repository = Path.of(System.getProperty("build.repository")).toAbsolutePath();
        edit("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.defaultRepositories=\\\n",
                "org.ops4j.pax.url.mvn.defaultRepositories=\\\n    " + repository.toUri() + "@id=tagbridge-build@snapshots, \\\n");
        edit("etc/org.apache.karaf.features.cfg", "featuresRepositories = \\\n",
                "featuresRepositories = \\\n    mvn:io.tagbridge/karaf-features/" + VERSION + "/xml/features, \\\n");
        edit("etc/org.apache.karaf.features.cfg", "featuresBoot = \\\n", "featuresBoot = \\\n    tagbridge, \\\n");
        // As the README tells operators: the web console opens only through Tagbridge's login.
        Files.writeString(home.resolve("etc/custom.properties"), Files.readString(home.resolve(
                "etc/custom.properties")) + "\nfelix.webconsole.security.providers = tagbridge\n");
        // A user for bin/client; the stock users.properties has none.
        Files.writeString(home.resolve("etc/users.properties"), "karaf = karaf,_g_:admingroup\n"
                + "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n");
        // Free ports for SSH and JMX, so that another Karaf on the machine does not get in the way.
        edit("etc/org.apache.karaf.shell.cfg", "sshPort = 8101", "sshPort = " + freePort());
        edit("etc/org.apache.karaf.management.cfg", "rmiRegistryPort = 1099", "rmiRegistryPort = " + freePort());
        edit("etc/org.apache.karaf.management.cfg", "rmiServerPort = 44444", "rmiServerPort = " + freePort());
    }

    KarafDistribution start() throws IOException {
        process = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server").directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(log().toFile()).start();
        return this;
    }

    /** Runs a Karaf shell command through bin/client, as an operator would over SSH. */
    String client(String command) throws IOException, InterruptedException {
        Process client = new ProcessBuilder(home.resolve("bin/client").toString(), "-u", "karaf", "-p", "karaf", "-r",
                "30", command).directory(home.toFile()).redirectErrorStream(true).start();
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!client.waitFor(2, TimeUnit.MINUTES) || client.exitValue() != 0) {
            throw new AssertionError("bin/client " + command + " failed: " + output);
        }
        return output;
    }

    /** GETs a path until the answer satisfies {@code done}; fails with the last answer and Karaf's log. */
    String awaitGet(String path, Predicate<String> done, Duration timeout) throws InterruptedException {
        String last = "no answer";
        for (long deadline = System.nanoTime() + timeout.toNanos(); System.nanoTime() < deadline; Thread.sleep(500)) {
            try {
                HttpResponse<String> response = http.get(path);
                last = response.statusCode() + " " + response.body();
                if (response.statusCode() == 200 && done.test(response.body())) {
                    return response.body();
                }
            } catch (IOException notYet) {
                last = notYet.toString();
            }
        }
        throw new AssertionError("GET " + path + " never answered as expected; last: " + last + "\n" + log(home));
    }

    /** Whether the path answers 200 on the gateway's port. */
    boolean serving(String path) throws InterruptedException {
        return status(http, path) == 200;
    }

    /** The status of a GET with this login; -1 when nothing answers. */
    int status(String path, String user, String password) throws InterruptedException {
        return status(http.as(user, password), path);
    }

    private static int status(GatewayHttp http, String path) throws InterruptedException {
        try {
            return http.get(path).statusCode();
        } catch (IOException refused) {
            return -1;
        }
    }

    Path data() {
        return home.resolve("data");
    }

    private Path log() {
        return home.resolve("karaf-console.log");
    }

    static String log(Path home) {
        StringBuilder all = new StringBuilder();
        for (Path file : List.of(home.resolve("karaf-console.log"), home.resolve("data/log/karaf.log"))) {
            try {
                String text = Files.readString(file);
                all.append("=== ").append(file.getFileName()).append('\n')
                        .append(text.length() > 20_000 ? text.substring(text.length() - 20_000) : text);
            } catch (IOException missing) {
                all.append("=== no ").append(file.getFileName()).append('\n');
            }
        }
        return all.toString();
    }

    /**
     * Stops Karaf and waits for it: bin/karaf runs Java as a child process, which must end too before the test's
     * directory can go.
     */
    @Override
    public void close() throws InterruptedException {
        if (process == null) {
            return;
        }
        List<ProcessHandle> all = Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                handle.destroyForcibly();
                handle.onExit().join();
            }
        }
    }

    private void edit(String file, String anchor, String replacement) throws IOException {
        Path path = home.resolve(file);
        String text = Files.readString(path);
        if (!text.contains(anchor)) {
            throw new IllegalStateException(file + " no longer contains " + anchor.trim() + ": the Karaf layout changed");
        }
        Files.writeString(path, text.replace(anchor, replacement));
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            files.forEach(source -> {
                Path target = to.resolve(from.relativize(source).toString());
                try {
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
