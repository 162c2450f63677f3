package io.tagbridge.gateway.smoke;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.JarInputStream;
import java.util.stream.Stream;

import org.assertj.core.api.SoftAssertions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tagbridge.testkit.Await;
import io.tagbridge.testkit.ChangedJar;
import io.tagbridge.testkit.H2Server;
import io.tagbridge.testkit.LazyFs;
import io.tagbridge.testkit.Sync;

/**
 * The exported gateway with its whole working directory (etc/, data/, backup/) on LazyFS, a producer posting
 * sequenced values over REST and keeping, outside that file system, which ones were answered 200, and the checks
 * every start after a power cut must pass. One rig serves a chain of cuts on one working directory: the checks after
 * one restart are the start of the next cut. LazyFS runs with its directory model
 * ({@link LazyFs#withDirectoryModel()}): a cut also undoes the gateway's renames that no sync of their directory
 * followed.
 *
 * <p>Everything the rig keeps for a failure's analysis is in {@code target/powercut/<name>/}: {@code disk/} (what
 * the disk kept), {@code gateway.log} (every start, outside the cut file system), {@code gateway.lazyfs/} (LazyFS's
 * logs) and {@code db/} (the remote database server, not on LazyFS).
 */
final class PowerCutRig implements AutoCloseable {

    static final String DATABASE = "plant";
    /** Faster starts on two shared cores: the client compiler only, the serial collector. Behaviour is the same. */
    static final String[] JVM = { "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m" };
    static final Duration WRITING_TIMEOUT = Duration.ofSeconds(90);
    /** How long acknowledged values may take to reach the table after a start. */
    static final Duration CATCH_UP = Duration.ofSeconds(60);
    /** Values that stay missing this long while the gateway writes are lost: the wait ends. */
    static final Duration STILL_MISSING = Duration.ofSeconds(5);

    private static final ObjectMapper JSON = new ObjectMapper();

    final String name;
    final Path base;
    final LazyFs fs;
    final GatewayProcess gateway;
    /** The remote database, or null when the gateway writes to its embedded one in data/. */
    final H2Server db;
    final String prefix;
    private final int rate;
    private final List<String> lines = new ArrayList<>();
    private final BitSet inTable = new BitSet();
    private final BitSet reportedLost = new BitSet();
    private Producer producer;
    private String user = GatewayProcess.USER;
    private String password = GatewayProcess.PASSWORD;
    private int offeredAtStart;
    private int checkedDurableUpTo;
    /** Values from this number on may be answered 200 without being on disk: the journal was being switched off. */
    private int journalOffFrom = Integer.MAX_VALUE;
    private long writtenAtStart;
    private int starts;
    private long stepStartNanos;
    private long lastCutNanos;
    private long startedAtNanos;
    private int cuts;
    private long fills;
    private Connection remote;

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
    static PowerCutRig create(String name, boolean remoteDatabase, int valuesPerSecond) throws Exception {
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
    PowerCutRig configure(String file, String content) throws IOException {
        Sync.write(fs.mount().resolve("etc").resolve(file), content);
        return this;
    }

    /** The gateway starts as a new one does, with a generated password for admin. */
    PowerCutRig withoutLogin() throws IOException {
        gateway.withoutLogin();
        return this;
    }

    /** The login the producer and the checks use from now on. */
    void login(String user, String password) {
        this.user = user;
        this.password = password;
    }

    // ------------------------------------------------------------------------------------------------ running

    /** Mounts LazyFS again if a cut took it, and starts the gateway; does not wait for it. */
    void launch() throws Exception {
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
    double start() throws Exception {
        long t0 = System.nanoTime();
        launch();
        awaitWriting();
        double seconds = (System.nanoTime() - t0) / 1e9;
        writtenAtStart = metrics().path("valuesWritten").asLong();
        note("start %d on LazyFS: %.1f s to WRITING", starts, seconds);
        return seconds;
    }

    /** Waits until every target writes, by the metrics (health answers 503 when DOWN; that is checked apart). */
    void awaitWriting() throws Exception {
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
    void ensureRunning() throws Exception {
        if (!gateway.running()) {
            start();
        }
    }

    /** Starts the producer with the current login, once. */
    void produce() {
        if (producer == null) {
            producer = new Producer(gateway.port, prefix, rate, user, password);
        }
    }

    Producer producer() {
        return producer;
    }

    // ------------------------------------------------------------------------------------------------ cutting

    /** The power cut, now (see {@link LazyFs#cut(long)}). */
    void cut() throws Exception {
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
    void crashAt(LazyFs.Crash crash, Duration timeout, Action trigger) throws Exception {
        crashAt(new LazyFs.Crash[] { crash }, timeout, trigger);
    }

    /** As {@link #crashAt(LazyFs.Crash, Duration, Action)}, at whichever of the operations comes first. */
    void crashAt(LazyFs.Crash[] crashes, Duration timeout, Action trigger) throws Exception {
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
    void crashWhileStarting(LazyFs.Crash crash, Duration timeout) throws Exception {
        if (!fs.running()) {
            fs.remount();
        }
        crashAt(new LazyFs.Crash[] { crash }, timeout, this::launch);
    }

    /** As {@link #crashWhileStarting(LazyFs.Crash, Duration)}, at whichever of the operations comes first. */
    void crashWhileStarting(LazyFs.Crash[] crashes, Duration timeout) throws Exception {
        if (!fs.running()) {
            fs.remount();
        }
        crashAt(crashes, timeout, this::launch);
    }

    interface Action {
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
    void restartAndCheck(SoftAssertions soft, boolean unclean) throws Exception {
        long t0 = System.nanoTime();
        start();
        JsonNode health = JSON.readTree(gateway.get("/api/buffer/health").body());
        JsonNode buffer = health.path("components").path("buffer");
        soft.assertThat(health.path("status").asText()).as("health after the start is not DOWN: %s", health)
                .isNotEqualTo("DOWN");
        if (unclean) {
            // JOURNAL_DAMAGED outranks UNCLEAN_STOP. A cut can still leave damage that a reader finds after the
            // start and counts as the disk's (a hole ending on a 1 MiB boundary, seen twice in CI): known, open.
            // The unclean stop itself must be told, in the count and the details, whichever reason shows.
            soft.assertThat(buffer.path("reason").asText()).as("health's buffer reason after a power cut: %s",
                    buffer).isIn("UNCLEAN_STOP", "JOURNAL_DAMAGED");
            soft.assertThat(buffer.path("details").path("uncleanStops").asLong())
                    .as("the unclean stop is counted: %s", buffer.path("details")).isPositive();
            soft.assertThat(buffer.path("details").has("lastSync") && buffer.path("details").has("newestFound"))
                    .as("health's buffer details name the last sync and the newest value found: %s",
                            buffer.path("details")).isTrue();
        }
        note("health after the start: %s %s; buffer %s (uncleanStops %s)", health.path("status").asText(),
                health.path("reason").asText(), buffer.path("reason").asText(),
                buffer.path("details").path("uncleanStops").asText("?"));
        produce();
        long t1 = System.nanoTime();
        checkAcknowledgedSurvive(soft);
        checkWritesWhereConfigured(soft);
        checkDurableAnswers(soft);
        checkCounters(soft);
        note("checks after the start: %.1f s (step so far %.1f s)", (System.nanoTime() - t1) / 1e9,
                (System.nanoTime() - t0) / 1e9);
    }

    /** Every value answered 200 is in the table or a backup file (remote database), waiting for the catch-up. */
    void checkAcknowledgedSurvive(SoftAssertions soft) throws Exception {
        if (db == null || producer == null) {
            return;
        }
        BitSet must = mustSurvive();
        must.andNot(reportedLost); // reported by an earlier step already; not waited for again
        long t0 = System.nanoTime();
        AtomicReference<BitSet> missing = new AtomicReference<>(missing(must));
        AtomicLong stableSince = new AtomicLong(System.nanoTime());
        // Until nothing is missing, or the same values have stayed missing for a while: the catch-up is over.
        Await.holdsWithin(CATCH_UP, Duration.ofMillis(300), () -> {
            BitSet now = missing(must);
            if (!now.equals(missing.getAndSet(now))) {
                stableSince.set(System.nanoTime());
            }
            return now.isEmpty() || System.nanoTime() - stableSince.get() >= STILL_MISSING.toNanos();
        });
        BitSet fresh = (BitSet) missing.get().clone();
        reportedLost.or(fresh);
        note("acknowledged before these checks %,d, in the table or a backup file after %.1f s; newly missing %,d "
                + "(%,d in all)", mustSurvive().cardinality(), (System.nanoTime() - t0) / 1e9, fresh.cardinality(),
                reportedLost.cardinality());
        soft.assertThat(fresh.cardinality()).as("values answered 200 that are neither in the table nor in a backup "
                + "file after the start: %s", lossDetails(fresh)).isZero();
    }

    /** The lost values, with when each was answered: relative to the last cut, and whether the answer was durable. */
    String lossDetails(BitSet lost) {
        if (lost.isEmpty()) {
            return "none";
        }
        StringBuilder b = new StringBuilder(examples(lost));
        BitSet durable = producer.durable();
        int shown = 0;
        for (int i = lost.nextSetBit(0); i >= 0 && shown < 6; i = lost.nextSetBit(i + 50 - i % 50), shown++) {
            long at = producer.answeredAt(i);
            b.append(String.format(Locale.ROOT, "%n    values %d-%d: answered 200%s %.3f s before the last cut",
                    i - i % 50, i - i % 50 + 49, durable.get(i) ? " (durable)" : " (not durable)",
                    (lastCutNanos - at) / 1e9));
        }
        return b.toString();
    }

    /** The values that must survive: every 200, except those after the journal was switched off unless durable. */
    BitSet mustSurvive() {
        BitSet must = producer.accepted();
        if (journalOffFrom < Integer.MAX_VALUE) {
            must.clear(journalOffFrom, Math.max(journalOffFrom, must.length()));
            must.or(producer.durable());
        }
        return must;
    }

    private BitSet missing(BitSet must) throws Exception {
        BitSet unseen = (BitSet) must.clone();
        unseen.andNot(inTable);
        if (!unseen.isEmpty()) {
            refreshTable(unseen.nextSetBit(0), unseen.length());
        }
        BitSet missing = (BitSet) must.clone();
        missing.andNot(inTable);
        if (!missing.isEmpty()) {
            missing.andNot(inBackupFiles(fs.mount().resolve("backup")));
        }
        return missing;
    }

    /**
     * Reads which of the values from {@code from} to {@code to} are in the remote table (rows are never deleted
     * there), by the primary key: per tag, the range of source times.
     */
    private void refreshTable(int from, int to) throws SQLException {
        if (from >= to) {
            return;
        }
        try {
            if (remote == null || !remote.isValid(2)) {
                remote = db.connect(DATABASE);
            }
            try (ResultSet tables = remote.getMetaData().getTables(null, null, "TAG_VALUES", null)) {
                if (!tables.next()) {
                    return;
                }
            }
            readValues(remote, from, to);
        } catch (SQLException e) {
            remote = null;
            throw e;
        }
    }

    private void readValues(Connection c, int from, int to) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT NUM_VALUE FROM TAG_VALUES WHERE TAG_NAME = ? "
                + "AND SOURCE_TIME >= ? AND SOURCE_TIME <= ?")) {
            for (int tag = 0; tag < 20; tag++) {
                s.setString(1, producer == null ? prefix + tag : producer.tag(tag));
                s.setObject(2, LocalDateTime.ofInstant(Producer.sourceTime(from), ZoneOffset.UTC));
                s.setObject(3, LocalDateTime.ofInstant(Producer.sourceTime(to), ZoneOffset.UTC));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        inTable.set((int) rs.getLong(1));
                    }
                }
            }
        }
    }

    /** The values of this rig's tags in backup files under {@code folder}: pending, open, replayed, quarantined. */
    BitSet inBackupFiles(Path folder) throws IOException {
        return inBackupFiles(folder, prefix);
    }

    /** The values of tags starting with {@code prefix} in backup files under {@code folder}, of any state. */
    static BitSet inBackupFiles(Path folder, String prefix) throws IOException {
        BitSet found = new BitSet();
        if (!Files.isDirectory(folder)) {
            return found;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".csv") || f.toString().endsWith(".part"))
                    .toList()) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    String[] cols = line.split(",");
                    if (cols.length >= 4 && cols[0].startsWith(prefix)) {
                        try {
                            found.set(Integer.parseInt(cols[3]));
                        } catch (NumberFormatException torn) {
                            // a torn last line of an open file
                        }
                    }
                }
            }
        }
        return found;
    }

    /** The gateway writes to the database it was configured for: values posted since the start are there. */
    void checkWritesWhereConfigured(SoftAssertions soft) throws Exception {
        Duration timeout = Duration.ofSeconds(30);
        Duration poll = Duration.ofMillis(300);
        if (db != null) {
            boolean there = Await.holdsWithin(timeout, poll, () -> {
                refreshTable(offeredAtStart, producer.offered());
                return inTable.nextSetBit(offeredAtStart) >= 0;
            });
            soft.assertThat(there).as("values posted since start %d are in the remote database it was configured "
                    + "for; the producer's answers: %s", starts, producer.statuses()).isTrue();
            soft.assertThat(fs.mount().resolve("data/tagbridge.mv.db")).as("no embedded database: the gateway "
                    + "never fell back to it").doesNotExist();
        } else {
            boolean more = Await.holdsWithin(timeout, poll,
                    () -> metrics().path("valuesWritten").asLong() > writtenAtStart);
            soft.assertThat(more).as("values written to the embedded database since start %d", starts).isTrue();
        }
        boolean answered = Await.holdsWithin(timeout, poll,
                () -> producer.accepted().nextSetBit(offeredAtStart) >= 0);
        soft.assertThat(answered).as("the login opens the gateway: posts since start %d answered 200; all answers "
                + "so far by status: %s", starts, producer.statuses()).isTrue();
    }

    /** Every 200 since the last check said "durable":true, while the journal was on. */
    void checkDurableAnswers(SoftAssertions soft) {
        int upTo = Math.min(producer.offered(), journalOffFrom);
        BitSet notDurable = producer.accepted().get(0, upTo);
        notDurable.andNot(producer.durable());
        notDurable.clear(0, Math.min(checkedDurableUpTo, upTo));
        checkedDurableUpTo = Math.max(checkedDurableUpTo, upTo);
        StringBuilder when = new StringBuilder();
        long now = System.nanoTime();
        for (int i = notDurable.nextSetBit(0), n = 0; i >= 0 && n < 4;
                i = notDurable.nextSetBit(i + 50 - i % 50), n++) {
            when.append(String.format(Locale.ROOT, "%n    values %d-%d answered %.1f s before this check (start %d of "
                    + "the gateway began %.1f s before it)", i - i % 50, i - i % 50 + 49,
                    (now - producer.answeredAt(i)) / 1e9, starts, (now - startedAtNanos) / 1e9));
        }
        soft.assertThat(notDurable.cardinality()).as("values answered 200 without \"durable\":true while the "
                + "journal was on, e.g. %s%s", examples(notDurable), when).isZero();
    }

    /**
     * Per target: routed (or, with one target, accepted) = written + already stored + backed up + dropped +
     * backlog. The producer pauses meanwhile, so that the figures come from one moment.
     */
    void checkCounters(SoftAssertions soft) throws Exception {
        if (producer != null) {
            producer.pause();
        }
        try {
            AtomicReference<String> last = new AtomicReference<>("");
            if (Await.holdsWithin(Duration.ofSeconds(20), Duration.ofMillis(250), () -> {
                last.set(identities(metrics()));
                return !last.get().contains("!=");
            })) {
                note("counters add up: %s", last.get());
                return;
            }
            soft.fail("the counters do not add up (routed = written + alreadyStored + backedUp + dropped + "
                    + "backlog) within 20 s: " + last.get());
        } finally {
            if (producer != null) {
                producer.resume();
            }
        }
    }

    /** Each target's identity, as text: "default: 1000 = 900 + 0 + 0 + 0 + 100" or with "!=" when it fails. */
    static String identities(JsonNode m) {
        StringBuilder b = new StringBuilder();
        JsonNode targets = m.path("targets");
        for (var it = targets.fields(); it.hasNext();) {
            var e = it.next();
            JsonNode t = e.getValue();
            // without a "routed" figure: every target takes every value (no tag filter in these tests)
            long routed = t.has("routed") ? t.path("routed").asLong() : m.path("valuesAccepted").asLong();
            long sum = t.path("valuesWritten").asLong() + t.path("valuesAlreadyStored").asLong()
                    + t.path("valuesBackedUp").asLong() + t.path("valuesDropped").asLong() + t.path("backlog").asLong();
            b.append(b.length() == 0 ? "" : "; ").append(e.getKey()).append(": ").append(routed)
                    .append(routed == sum ? " = " : " != ").append(t.path("valuesWritten").asLong())
                    .append(" written + ")
                    .append(t.path("valuesAlreadyStored").asLong()).append(" already stored + ")
                    .append(t.path("valuesBackedUp").asLong()).append(" backed up + ")
                    .append(t.path("valuesDropped").asLong()).append(" dropped ").append(t.path("dropped"))
                    .append(" + ").append(t.path("backlog").asLong()).append(" backlog");
        }
        return targets.size() == 0 ? "no target != anything" : b.toString();
    }

    /** Waits until every target's backlog is written. */
    void awaitBacklogWritten(Duration timeout) throws Exception {
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

    JsonNode health() throws Exception {
        return JSON.readTree(gateway.get("/api/buffer/health").body());
    }

    /**
     * Posts about {@code megabytes} MB of large text values (tags {@code fill.<n>}, apart from the producer's) in
     * requests of 150 KB, so that the journal rolls over to its next segment without waiting for the producer. A
     * request that fails (the gateway crashed meanwhile) ends it.
     */
    void fillJournal(int megabytes) {
        fills = postLargeValues(gateway, user, password, megabytes, fills);
    }

    /**
     * Posts about {@code megabytes} MB of large text values (tags {@code fill.<n>}) to a gateway, 150 KB a request,
     * until one is not answered 200; returns the next value's number, for the next call.
     */
    static long postLargeValues(GatewayProcess gateway, String user, String password, int megabytes, long fills) {
        String text = "x".repeat(3000);
        for (int request = 0; request < megabytes * 7 + 1; request++) {
            StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < 50; i++) {
                body.append(i == 0 ? "" : ",").append("{\"tagName\":\"fill.").append(fills % 20)
                        .append("\",\"sourceTime\":\"").append(Producer.T0.plusSeconds(86_400L * 365).plusNanos(
                                1000L * fills)).append("\",\"value\":\"").append(text).append("\"}");
                fills++;
            }
            try {
                var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + gateway.port + "/api/buffer/values"))
                        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                        .header("Authorization", GatewayProcess.basic(user, password))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body.append(']').toString()))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    return fills;
                }
            } catch (IOException | InterruptedException crashed) {
                return fills;
            }
        }
        return fills;
    }

    /** Values from here on may be answered without the journal (it is being switched off). */
    void journalOffFromNow() {
        journalOffFrom = producer == null ? 0 : producer.offered();
    }

    /**
     * The embedded database's check, once the gateway has stopped: every value that must survive is in its table
     * or a backup file.
     */
    void checkEmbeddedTable(SoftAssertions soft) throws Exception {
        Path file = fs.mount().resolve("data/tagbridge");
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + file
                + ";MODE=Oracle;DEFAULT_NULL_ORDERING=HIGH;IFEXISTS=TRUE", "sa", "")) {
            inTable.clear();
            readValues(c, 0, producer == null ? 0 : producer.offered());
        }
        BitSet missing = mustSurvive();
        missing.andNot(inTable);
        missing.andNot(inBackupFiles(fs.mount().resolve("backup")));
        note("embedded table: %,d of %,d acknowledged values found; missing %,d", mustSurvive().cardinality()
                - missing.cardinality(), mustSurvive().cardinality(), missing.cardinality());
        soft.assertThat(missing.cardinality()).as("values answered 200 that are neither in the embedded table nor "
                + "in a backup file: %s", examples(missing)).isZero();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** A writer bundle of this build with one more header, to update the running gateway with. */
    static Path changedWriter(Path into) throws IOException {
        Path jar = ChangedJar.built(Path.of("../bundles/writer/target"), "writer");
        return Files.write(into, ChangedJar.withHeaders(Files.readAllBytes(jar),
                Map.of("Tagbridge-Test-Build", "power-cut")));
    }

    /** Whether a file holds a jar whose manifest can be read (a kept bundle update the disk kept whole). */
    static boolean wholeJar(Path file) {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(file))) {
            if (in.getManifest() == null) {
                return false;
            }
            while (in.getNextJarEntry() != null) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String examples(BitSet values) {
        StringBuilder b = new StringBuilder();
        int n = 0;
        for (int i = values.nextSetBit(0); i >= 0 && n < 8; i = values.nextSetBit(i + 1), n++) {
            b.append(n == 0 ? "" : ", ").append(i);
        }
        return values.isEmpty() ? "none" : b + (values.cardinality() > 8 ? " ..." : "") + " (value i is tag "
                + "<prefix><i % 20> at 2026-01-01T00:00:00Z + i µs)";
    }

    String gatewayLogTail() {
        try {
            String log = gateway.log();
            return "--- gateway log, last 4,000 characters ---\n" + log.substring(Math.max(0, log.length() - 4000));
        } catch (IOException e) {
            return "";
        }
    }

    /** A line of the rig's report, printed at once with the rig's name and the time since the step began. */
    void note(String format, Object... args) {
        String line = String.format(Locale.ROOT, format, args);
        lines.add(line);
        System.out.printf(Locale.ROOT, "[power-cut %s +%.1fs] %s%n", name, (System.nanoTime() - stepStartNanos) / 1e9,
                line);
    }

    /** Marks the start of a step, for the times printed. */
    void step(String title) {
        stepStartNanos = System.nanoTime();
        note("=== %s", title);
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    static void deleteTree(Path dir) throws IOException {
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
            if (remote != null) {
                remote.close();
            }
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
