package io.tagbridge.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

import org.assertj.core.api.SoftAssertions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The exported gateway with its whole working directory (etc/, data/, backup/) on LazyFS, a producer posting
 * sequenced values over REST and keeping, outside that file system, which ones were answered 200, and the power
 * cuts; {@link #checks} holds what every start after a cut must show. One rig serves a chain of cuts on one working
 * directory: the checks after one restart are the start of the next cut. LazyFS runs with its directory model
 * ({@link LazyFs#withDirectoryModel()}): a cut also undoes the gateway's renames that no sync of their directory
 * followed.
 *
 * <p>Everything the rig keeps for a failure's analysis is in {@code target/powercut/<name>/}: {@code disk/} (what
 * the disk kept), {@code gateway.log} (every start, outside the cut file system), {@code gateway.lazyfs/} (LazyFS's
 * logs) and {@code db/} (the remote database server, not on LazyFS).
 */
public final class PowerCutRig implements AutoCloseable {

    /** The remote database's name on its server. */
    public static final String DATABASE = "plant";
    /** Faster starts on two shared cores: the client compiler only, the serial collector. Behaviour is the same. */
    public static final String[] JVM = { "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m" };
    private static final Duration WRITING_TIMEOUT = Duration.ofSeconds(90);

    private static final ObjectMapper JSON = new ObjectMapper();

    final String name;
    public final Path base;
    public final LazyFs fs;
    public final GatewayProcess gateway;
    /** The remote database, or null when the gateway writes to its embedded one in data/. */
    public final H2Server db;
    /** What the tags of this rig's values start with. */
    final String prefix;
    public final AfterCutChecks checks = new AfterCutChecks(this);
    private final int rate;
    private Producer producer;
    private String user = GatewayProcess.USER;
    private String password = GatewayProcess.PASSWORD;
    // what the checks compare with: the start and the cut before them
    int offeredAtStart;
    long writtenAtStart;
    int starts;
    long startedAtNanos;
    long lastCutNanos;
    private long stepStartNanos;
    private int cuts;
    private long fills;

    private PowerCutRig(String name, Path base, LazyFs fs, H2Server db, int rate) throws IOException {
        this.name = name;
        this.base = base;
        this.fs = fs;
        this.db = db;
        this.rate = rate;
        this.prefix = name + ".";
        this.gateway = new GatewayProcess(fs.mount(), base.resolve("gateway.log")).environment(fs.environment());
        this.stepStartNanos = System.nanoTime();
    }

    /**
     * A fresh rig in {@code target/powercut/<name>}: LazyFS mounted (or the test skipped, see {@link LazyFs}), and,
     * with {@code remoteDatabase}, an H2 server outside LazyFS that the gateway is configured to write to.
     */
    public static PowerCutRig create(String name, boolean remoteDatabase, int valuesPerSecond) throws Exception {
        Path base = Path.of("target/powercut", name).toAbsolutePath();
        LazyFs.binary(); // skips or fails before anything is made
        LazyFs.detachLeftover(base.resolve("gateway"));
        deleteTree(base);
        // with the directory model: a cut also takes the renames no sync of their directory followed
        LazyFs fs = LazyFs.mount(base.resolve("disk"), base.resolve("gateway")).withDirectoryModel();
        H2Server db = null;
        try {
            db = remoteDatabase ? new H2Server(base.resolve("db")).start() : null;
            PowerCutRig rig = new PowerCutRig(name, base, fs, db, valuesPerSecond);
            rig.configure("io.tagbridge.simulator.cfg", "enabled=false\n");
            if (db != null) {
                rig.configure("io.tagbridge.oracle.pool-default.cfg", "name=default\nurl=" + db.url(DATABASE)
                        + "\nusername=sa\npassword=\npoolMin=1\nconnectTimeoutSeconds=2\nreadTimeoutSeconds=30\n");
            }
            Sync.tree(fs.mount().resolve("etc"));
            return rig;
        } catch (Exception | Error e) {
            fs.close();
            if (db != null) {
                db.close();
            }
            throw e;
        }
    }

    /** Writes an etc file as a careful operator's tool does: synced and renamed into place. */
    public PowerCutRig configure(String file, String content) throws IOException {
        Sync.write(fs.mount().resolve("etc").resolve(file), content);
        return this;
    }

    /** The gateway starts as a new one does, with a generated password for admin. */
    public PowerCutRig withoutLogin() throws IOException {
        gateway.withoutLogin();
        return this;
    }

    /** The login the producer and the checks use from now on. */
    public void login(String user, String password) {
        this.user = user;
        this.password = password;
    }

    // ------------------------------------------------------------------------------------------------ running

    /** Mounts LazyFS again if a cut took it, and starts the gateway; does not wait for it. */
    private void launch() throws Exception {
        if (!fs.running()) {
            fs.remount();
        }
        starts++;
        startedAtNanos = System.nanoTime();
        offeredAtStart = producer == null ? 0 : producer.offered();
        gateway.start(JVM);
    }

    /**
     * Starts the gateway and waits until its target writes; returns how long that took. Fails if it does not start
     * (the gateway's log goes with the failure).
     */
    private double start() throws Exception {
        long t0 = System.nanoTime();
        launch();
        awaitWriting();
        double seconds = (System.nanoTime() - t0) / 1e9;
        writtenAtStart = metrics().path("valuesWritten").asLong();
        note("start %d on LazyFS: %.1f s to WRITING", starts, seconds);
        return seconds;
    }

    /** Waits until every target writes, by the metrics (health answers 503 when DOWN; that is checked apart). */
    private void awaitWriting() throws Exception {
        gateway.awaitGet("/api/buffer/writer/metrics", body -> {
            try {
                JsonNode targets = JSON.readTree(body).path("targets");
                for (JsonNode t : targets) {
                    if (!t.path("state").asText().equals("WRITING")) {
                        return false;
                    }
                }
                return targets.size() > 0;
            } catch (IOException e) {
                return false;
            }
        }, WRITING_TIMEOUT);
    }

    /** Starts the gateway unless it runs: a step after a failed one begins on a running gateway. */
    public void ensureRunning() throws Exception {
        if (!gateway.running()) {
            start();
        }
    }

    /** Starts the producer with the current login, once. */
    public void produce() {
        if (producer == null) {
            producer = new Producer(gateway.port, prefix, rate, user, password);
        }
    }

    public Producer producer() {
        return producer;
    }

    // ------------------------------------------------------------------------------------------------ cutting

    /** The power cut, now (see {@link LazyFs#cut(long)}). */
    public void cut() throws Exception {
        lastCutNanos = System.nanoTime();
        fs.cut(gateway.pid());
        gateway.kill();
        note("cut at a chosen moment (LazyFS cache: %s)", fs.lastCacheUsage());
        noteUndone();
        keepJournal();
    }

    /**
     * Arms a crash at a file operation, runs {@code trigger}, and waits until the gateway reaches the operation.
     * When it does not within {@code timeout}, the power is cut anyway (so that the chain goes on) and the step
     * fails.
     */
    public void crashAt(LazyFs.Crash crash, Duration timeout, Action trigger) throws Exception {
        crashAt(new LazyFs.Crash[] { crash }, timeout, trigger);
    }

    /** As {@link #crashAt(LazyFs.Crash, Duration, Action)}, at whichever of the operations comes first. */
    public void crashAt(LazyFs.Crash[] crashes, Duration timeout, Action trigger) throws Exception {
        String crash = java.util.Arrays.toString(crashes);
        fs.crashAt(crashes);
        long t0 = System.nanoTime();
        Exception triggerFailed = null;
        try {
            trigger.run();
        } catch (Exception e) {
            triggerFailed = e; // perhaps the crash itself, under way; the crash decides
        }
        try {
            fs.awaitCrash(timeout, gateway.pid());
        } catch (AssertionError e) {
            if (fs.running()) {
                fs.cut(gateway.pid());
            }
            gateway.kill();
            AssertionError failure = new AssertionError("no crash at " + crash + ": " + e.getMessage() + "\n"
                    + gatewayLogTail(), e);
            if (triggerFailed != null) {
                failure.addSuppressed(triggerFailed);
            }
            throw failure;
        }
        lastCutNanos = System.nanoTime();
        gateway.kill();
        note("crash at %s, %.1f s after it was armed", crash, (System.nanoTime() - t0) / 1e9);
        noteUndone();
        keepJournal();
    }

    /** The renames the cut took (LazyFS's directory model), if any. */
    private void noteUndone() {
        if (!fs.lastUndone().isEmpty()) {
            note("the cut undid renames no directory sync followed: %s", fs.lastUndone());
        }
    }

    /** A copy of the journal as the disk kept it, in after-cut-<n>/ beside the disk, for a failure's analysis. */
    private void keepJournal() throws IOException {
        cuts++;
        Path into = base.resolve("after-cut-" + cuts);
        for (String journal : new String[] { "data/journal", "journal-moved" }) {
            Path from = fs.root().resolve(journal);
            if (Files.isDirectory(from)) {
                try (Stream<Path> files = Files.walk(from)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        Path to = into.resolve(journal).resolve(from.relativize(f).toString());
                        Files.createDirectories(to.getParent());
                        Files.copy(f, to);
                    }
                }
            }
        }
    }

    /** Arms a crash at a file operation before the gateway starts, starts it, and waits until it gets there. */
    public void crashWhileStarting(LazyFs.Crash crash, Duration timeout) throws Exception {
        if (!fs.running()) {
            fs.remount();
        }
        crashAt(new LazyFs.Crash[] { crash }, timeout, this::launch);
    }

    /** As {@link #crashWhileStarting(LazyFs.Crash, Duration)}, at whichever of the operations comes first. */
    public void crashWhileStarting(LazyFs.Crash[] crashes, Duration timeout) throws Exception {
        if (!fs.running()) {
            fs.remount();
        }
        crashAt(crashes, timeout, this::launch);
    }

    public interface Action {
        void run() throws Exception;
    }

    // ------------------------------------------------------------------------------------------------ checks

    /**
     * Starts the gateway on what the disk kept and checks what every start after a cut must show, softly, so that
     * one step reports every check it failed:
     * <ul>
     * <li>it starts and its target writes, to the database it was configured for (never a fallback);
     * <li>the login opens it: the producer's posts are answered 200 again;
     * <li>health says the stop was unclean (reason {@code UNCLEAN_STOP}, details {@code lastSync} and
     * {@code newestFound}), when {@code unclean};
     * <li>every value answered 200 before the cut is in the table or in a backup file (remote database; the
     * embedded one is read at the end, once the gateway has stopped);
     * <li>every 200 since the last check said {@code "durable":true} (while the journal is on);
     * <li>per target, the values routed to it add up: written + already stored + backed up + dropped + backlog.
     * </ul>
     */
    public void restartAndCheck(SoftAssertions soft, boolean unclean) throws Exception {
        long t0 = System.nanoTime();
        start();
        checks.health(soft, unclean);
        produce();
        long t1 = System.nanoTime();
        checks.acknowledgedSurvive(soft);
        checks.writesWhereConfigured(soft);
        checks.durableAnswers(soft);
        checks.counters(soft);
        note("checks after the start: %.1f s (step so far %.1f s)", (System.nanoTime() - t1) / 1e9,
                (System.nanoTime() - t0) / 1e9);
    }

    /** Waits until every target's backlog is written. */
    public void awaitBacklogWritten(Duration timeout) throws Exception {
        gateway.awaitGet("/api/buffer/writer/metrics", body -> {
            try {
                JsonNode targets = JSON.readTree(body).path("targets");
                for (JsonNode t : targets) {
                    if (t.path("backlog").asLong(-1) != 0) {
                        return false;
                    }
                }
                return targets.size() > 0;
            } catch (IOException e) {
                return false;
            }
        }, timeout);
    }

    JsonNode metrics() throws Exception {
        try {
            return JSON.readTree(gateway.get("/api/buffer/writer/metrics").body());
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    /**
     * Posts about {@code megabytes} MB of large text values (tags {@code fill.<n>}, apart from the producer's) in
     * requests of 150 KB, so that the journal rolls over to its next segment without waiting for the producer. A
     * request that fails (the gateway crashed meanwhile) ends it.
     */
    public void fillJournal(int megabytes) {
        fills = Producer.postLargeValues(gateway, user, password, megabytes, fills);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** The end of the gateway's log, for a failure's message. */
    public String gatewayLogTail() {
        try {
            String log = gateway.log();
            return "--- gateway log, last 4,000 characters ---\n" + log.substring(Math.max(0, log.length() - 4000));
        } catch (IOException e) {
            return "";
        }
    }

    /** A line of the rig's report, printed at once with the rig's name and the time since the step began. */
    public void note(String format, Object... args) {
        String line = String.format(Locale.ROOT, format, args);
        System.out.printf(Locale.ROOT, "[power-cut %s +%.1fs] %s%n", name, (System.nanoTime() - stepStartNanos) / 1e9,
                line);
    }

    /** Marks the start of a step, for the times printed. */
    public void step(String title) {
        stepStartNanos = System.nanoTime();
        note("=== %s", title);
    }

    /** Deletes a folder with everything in it, if it is there: a fresh start in the same place. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** Stops the producer and the gateway, detaches LazyFS and stops the database; the files stay. */
    @Override
    public void close() throws Exception {
        try {
            if (producer != null) {
                producer.close();
            }
            gateway.close();
            checks.close();
        } finally {
            try {
                fs.close();
            } finally {
                if (db != null) {
                    db.close();
                }
            }
        }
    }
}