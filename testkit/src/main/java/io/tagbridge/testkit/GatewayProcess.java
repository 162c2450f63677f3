package io.tagbridge.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The exported gateway jar run as a user runs it: {@code java -jar tagbridge.jar} in a working directory of its
 * own, on a free HTTP port, stopped with SIGTERM or killed with SIGKILL. Its standard output and error go to a log
 * file that failures show. The jar is the one the system property {@code tagbridge.gateway.jar} names (see
 * {@link #jar()}).
 */
public final class GatewayProcess implements AutoCloseable {

    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /**
     * The tests' processes compile with the quick compiler only. A gateway's optimizing compiler took half its CPU
     * in its first seconds (19 s of CPU up to 10 s after its start, 9 s without it, measured on two cores), which
     * the tests pay for every one of their many starts; what a gateway does is the same either way.
     */
    public static final String QUICK_JIT = "-XX:TieredStopAtLevel=1";
    /** The login the tests give a gateway in etc/io.tagbridge.security.cfg, as an operator would. */
    public static final String USER = "operator";
    public static final String PASSWORD = "smoke-Operator-Secret-9";

    public final Path workDir;
    public final int port;
    private final Path log;
    private final GatewayHttp http;
    private Process process;
    private int starts;
    private Map<String, String> environment = Map.of();
    private boolean stdinAtEnd;

    public GatewayProcess(Path workDir) throws IOException {
        this(workDir, workDir.resolve("gateway.log"));
    }

    /**
     * A gateway whose log goes elsewhere than its working directory: where the working directory is the disk a test
     * cuts the power of, the log must survive the cut.
     */
    public GatewayProcess(Path workDir, Path log) throws IOException {
        this.workDir = workDir;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        http = GatewayHttp.local(port).timeout(Duration.ofSeconds(10));
        // The port goes in as framework properties (see start), the defaults an etc/org.apache.felix.http.cfg
        // overrides, so that a test can write that file as an operator does.
        Files.createDirectories(workDir.resolve("etc"));
        Files.writeString(workDir.resolve("etc/io.tagbridge.security.cfg"), "username=" + USER + "\npassword="
                + PASSWORD + "\n");
        this.log = log;
    }

    /** Starts from now on with stdin at its end (/dev/null), as a service manager starts a program. */
    public GatewayProcess stdinAtEnd() {
        this.stdinAtEnd = true;
        return this;
    }

    /** Environment variables every start from now on runs with, besides this JVM's (such as LazyFS's model). */
    public GatewayProcess environment(Map<String, String> variables) {
        this.environment = Map.copyOf(variables);
        return this;
    }

    /** Writes a configuration file into the gateway's etc/ directory. */
    public GatewayProcess configure(String file, String content) throws IOException {
        Files.writeString(workDir.resolve("etc").resolve(file), content);
        return this;
    }

    /** Starts the gateway with the given JVM options, logging to gateway.log (appended across restarts). */
    public GatewayProcess start(String... jvmOptions) throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            kill(); // a start after a failed step: the gateway before must not outlive the test
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add(QUICK_JIT);
        command.addAll(List.of(jvmOptions));
        // The web server's port and address, as framework properties (see the constructor).
        command.add("-Dorg.osgi.service.http.port=" + port);
        command.add("-Dorg.apache.felix.http.host=127.0.0.1");
        command.addAll(List.of("-jar", jar().toString()));
        starts++;
        Files.writeString(log, "=== start " + starts + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(stdinAtEnd ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))
                        : ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(environment);
        process = builder.start();
        return this;
    }

    /**
     * The gateway jar that {@code -Dtagbridge.gateway.jar=<path>} names: bndrun's pom gives its Failsafe tests the
     * jar it exports, and a run may name another (such as a copy, while the build exports a new one). The kit
     * serves other modules too, so it does not guess where that module keeps its jar.
     */
    public static Path jar() {
        String named = System.getProperty("tagbridge.gateway.jar", "").trim();
        if (named.isEmpty()) {
            throw new IllegalStateException("no gateway jar: run with -Dtagbridge.gateway.jar=<path to tagbridge.jar>"
                    + " (bndrun's pom sets it for Failsafe)");
        }
        return Path.of(named).toAbsolutePath();
    }

    /** GETs a path until the answer satisfies {@code done}; fails with the last answer and the log. */
    public String awaitGet(String path, Predicate<String> done, Duration timeout) throws Exception {
        return await("GET " + path, () -> get(path), ok(done), timeout).body();
    }

    /**
     * Waits until the web console answers the operator. It opens once the gateway's login runs, which under load
     * can be after the REST API answers.
     */
    public GatewayProcess awaitConsole() throws Exception {
        return awaitConsole(USER, PASSWORD);
    }

    /** Waits until the web console lets this login in; see {@link #awaitConsole()}. */
    public GatewayProcess awaitConsole(String user, String password) throws Exception {
        await("the web console for " + user, () -> getAs("/system/console/bundles", user, password),
                ok(body -> true), START_TIMEOUT);
        return this;
    }

    private static Predicate<HttpResponse<String>> ok(Predicate<String> body) {
        return response -> response.statusCode() == 200 && body.test(response.body());
    }

    /**
     * Sends a request until its answer satisfies {@code done}, while the gateway runs; fails with the last answer
     * and the log. A request may give null for an answer to wait on.
     */
    public HttpResponse<String> await(String what, Callable<HttpResponse<String>> request,
            Predicate<HttpResponse<String>> done, Duration timeout) throws Exception {
        AtomicReference<String> last = new AtomicReference<>("");
        return Await.until(what, timeout, () -> {
            if (process != null && !process.isAlive()) {
                throw new AssertionError("the gateway exited with " + process.exitValue() + "\n" + log());
            }
            try {
                HttpResponse<String> response = request.call();
                if (response != null) {
                    last.set(response.statusCode() + " " + response.body());
                }
                return response;
            } catch (IOException notYetListening) {
                last.set(notYetListening.toString());
                return null;
            }
        }, response -> response != null && done.test(response),
                () -> "last answer: " + last.get() + "\n" + log());
    }

    /**
     * Anonymous requests to the gateway, answered within 10 s; {@code http().as(user, password)} for a login.
     */
    public GatewayHttp http() {
        return http;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.get(path);
    }

    public HttpResponse<String> getAs(String path, String user, String password) throws IOException,
            InterruptedException {
        return http.as(user, password).get(path);
    }

    /** Leaves out the login file: the gateway starts as a new one does, with a generated password. */
    public GatewayProcess withoutLogin() throws IOException {
        Files.delete(workDir.resolve("etc/io.tagbridge.security.cfg"));
        return this;
    }

    /** POSTs JSON with the operator's login, as a producer does; the answer's reason code is heard. */
    public HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return http.as(USER, PASSWORD).timeout(Duration.ofSeconds(30)).postJson(path, json);
    }

    /** POSTs a form with the operator's login, as a browser does. */
    public HttpResponse<String> postForm(String path, String form) throws IOException, InterruptedException {
        return postForm(path, form, USER, PASSWORD);
    }

    /** POSTs a form, as a browser does, with basic credentials. */
    public HttpResponse<String> postForm(String path, String form, String user, String password)
            throws IOException, InterruptedException {
        return http.as(user, password).postForm(path, form);
    }

    /** SIGTERM, then waits for the orderly stop; fails if it takes longer than {@code timeout}. */
    public void stop(Duration timeout) throws Exception {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the gateway did not stop within " + timeout + " of SIGTERM\n" + log());
        }
    }

    /** The process id of the running gateway, or -1 when none was started. */
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    /** Whether the gateway's process runs. */
    public boolean running() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hook runs, as in a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits for the process to exit by itself; returns its exit code. */
    public int awaitExit(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the gateway did not exit within " + timeout + "\n" + log());
        }
        return process.exitValue();
    }

    /** Types a command into the gateway's Gogo shell, on its standard input; the answer goes to the log. */
    public void shell(String command) throws IOException {
        process.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /**
     * Types a read-only command into the shell until the log shows its answer: a command typed while the shell
     * starts may go unread, so it is typed again every 10 s, for up to {@code timeout}.
     */
    public void shellUntil(String command, String what, Predicate<String> answered, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            shell(command);
            long until = Math.min(deadline, System.nanoTime() + Duration.ofSeconds(10).toNanos());
            while (System.nanoTime() < until) {
                if (answered.test(log())) {
                    return;
                }
                Thread.sleep(200);
            }
            if (System.nanoTime() >= deadline) {
                throw new AssertionError(what + ": no answer to '" + command + "' in the log within " + timeout);
            }
        }
    }

    /** Whether the log has this text, for waits; false when the log cannot be read yet. */
    public boolean logSays(String text) {
        try {
            return log().contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits until the log matches; fails with the log after a minute. */
    public Matcher awaitLog(Pattern pattern) throws Exception {
        for (long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos(); ; Thread.sleep(200)) {
            Matcher m = pattern.matcher(log());
            if (m.find()) {
                return m;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the log never matched " + pattern + "\n" + log());
            }
        }
    }

    /** The id of a bundle, as the gateway's shell lists it. */
    public long bundleId(String symbolicName) throws Exception {
        shell("lb -s " + symbolicName);
        return Long.parseLong(awaitLog(Pattern.compile("^\\s*(\\d+)\\|\\w+\\s*\\|\\s*\\d+\\|"
                + Pattern.quote(symbolicName) + " ", Pattern.MULTILINE)).group(1));
    }

    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }
}
