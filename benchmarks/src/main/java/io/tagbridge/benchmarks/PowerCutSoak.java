package io.tagbridge.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tagbridge.testkit.LazyFs;
import io.tagbridge.testkit.Sync;

/**
 * The power-cut soak: the exported gateway with its whole working directory on LazyFS, writing to an H2 server
 * outside it, while a producer posts sequenced values over REST; the power is cut at random moments, again and again,
 * on one data directory. After each cut the gateway starts on what the disk kept, and the soak counts:
 * <ul>
 * <li>starts that failed (the target not writing within 2 minutes);
 * <li>values answered 200 before the cut that are neither in the table nor in a backup file once the gateway has
 * caught up;
 * <li>broken counter identities: per target, accepted = written + already stored + backed up + dropped + backlog.
 * </ul>
 * The goal is 0 for each. Not a test: a measurement, run by {@code benchmarks/scripts/power-cut-soak.sh} (see
 * BENCHMARKS.md).
 *
 * <p>Arguments: cuts (50), values per second (2000), seed (random, printed). System properties:
 * {@code tagbridge.lazyfs} (the lazyfs binary), {@code soak.jar} (the gateway jar, default
 * {@code bndrun/target/tagbridge.jar}), {@code soak.dir} (where to work; default a new temporary directory, kept
 * afterwards).
 */
public final class PowerCutSoak {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "soak.";
    private static final String USER = "operator";
    private static final String PASSWORD = "soak-Operator-Secret-9";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final int PER_REQUEST = 50;
    private static final String[] JVM = { "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m" };

    private final Path work;
    private final Path jar;
    private final int rate;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final BitSet accepted = new BitSet();
    private final BitSet durable = new BitSet();
    private final BitSet inTable = new BitSet();
    private final BitSet lost = new BitSet();
    private final Map<String, Integer> healthReasons = new TreeMap<>();
    private final List<Double> startSeconds = new ArrayList<>();
    private LazyFs fs;
    private org.h2.tools.Server h2;
    private String url;
    private Connection db;
    private Process gateway;
    private int port;
    private volatile boolean producing = true;
    private volatile boolean paused;
    private final Object sending = new Object();
    private volatile int offered;

    private PowerCutSoak(Path work, Path jar, int rate) {
        this.work = work;
        this.jar = jar;
        this.rate = rate;
    }

    public static void main(String[] args) throws Exception {
        int cuts = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : new Random().nextLong();
        Path jar = Path.of(System.getProperty("soak.jar", "bndrun/target/tagbridge.jar")).toAbsolutePath();
        String dir = System.getProperty("soak.dir", "");
        Path work = dir.isEmpty() ? Files.createTempDirectory("power-cut-soak") : Files.createDirectories(Path.of(dir));
        if (!Files.isRegularFile(jar)) {
            System.err.println("No gateway jar at " + jar + ": run mvn -DskipTests package first, or set -Dsoak.jar");
            System.exit(2);
        }
        System.out.printf(Locale.ROOT, "Power-cut soak: %d cuts, %d values/s, seed %d, in %s%n", cuts, rate, seed,
                work);
        PowerCutSoak soak = new PowerCutSoak(work, jar, rate);
        int code;
        try {
            code = soak.run(cuts, new Random(seed)) ? 0 : 1;
        } finally {
            soak.close();
        }
        System.exit(code);
    }

    private boolean run(int cuts, Random random) throws Exception {
        long began = System.nanoTime();
        h2 = org.h2.tools.Server.createTcpServer("-tcpPort", Integer.toString(freePort()), "-ifNotExists",
                "-baseDir", work.resolve("db").toString()).start();
        url = "jdbc:h2:tcp://127.0.0.1:" + h2.getPort() + "/plant;MODE=Oracle;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
        fs = LazyFs.mount(work.resolve("disk"), work.resolve("gateway"));
        Path etc = fs.mount().resolve("etc");
        Sync.write(etc.resolve("io.tagbridge.security.cfg"), "username=" + USER + "\npassword=" + PASSWORD + "\n");
        Sync.write(etc.resolve("io.tagbridge.simulator.cfg"), "enabled=false\n");
        Sync.write(etc.resolve("io.tagbridge.oracle.pool-default.cfg"), "name=default\nurl=" + url
                + "\nusername=sa\npassword=\npoolMin=1\nconnectTimeoutSeconds=2\nreadTimeoutSeconds=30\n");
        Sync.write(etc.resolve("io.tagbridge.writer-default.cfg"), "name=default\nretryDelaySeconds=0.2\n"
                + "retryMaxDelaySeconds=1\noutageProbeSeconds=1\n");
        Sync.write(etc.resolve("io.tagbridge.buffer.cfg"), "journalSegmentMegabytes=1\njournalMaxMegabytes=16\n"
                + "journalMinFreeDiskMegabytes=0\n");
        port = freePort();
        int failedStarts = 0;
        int brokenIdentities = 0;
        startGateway();
        Thread producer = new Thread(this::produce, "soak-producer");
        producer.start();
        for (int cut = 1; cut <= cuts; cut++) {
            long moment = 1000 + random.nextInt(7000);
            Thread.sleep(moment);
            fs.cut(gateway.pid());
            BitSet must;
            synchronized (accepted) {
                must = (BitSet) accepted.clone();
            }
            long t0 = System.nanoTime();
            boolean started = false;
            for (int attempt = 1; attempt <= 3 && !started; attempt++) {
                started = startGateway();
                if (!started) {
                    failedStarts++;
                    System.out.printf(Locale.ROOT, "  cut %d: start %d failed; see %s%n", cut, attempt,
                            work.resolve("gateway.log"));
                    fs.cut(gateway.pid());
                }
            }
            if (!started) {
                System.out.println("  three starts in a row failed: the soak stops here");
                summary(cut, failedStarts, brokenIdentities, began);
                return false;
            }
            double start = (System.nanoTime() - t0) / 1e9;
            startSeconds.add(start);
            String reason = healthReason();
            healthReasons.merge(reason, 1, Integer::sum);
            int newlyLost = checkAcknowledged(must);
            String identity = identity();
            if (identity.contains("!=")) {
                brokenIdentities++;
            }
            System.out.printf(Locale.ROOT, "cut %2d/%d after %.1f s: started in %.1f s, health %s, lost %d "
                    + "(%d in all), %s%n", cut, cuts, moment / 1000.0, start, reason, newlyLost, lost.cardinality(), identity);
        }
        producing = false;
        producer.join(10_000);
        return summary(cuts, failedStarts, brokenIdentities, began);
    }

    private boolean summary(int cuts, int failedStarts, int brokenIdentities, long began) {
        double[] starts = startSeconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "%nSoak: %d cuts in %.0f s; %,d values answered 200 (%,d said durable)%n", cuts,
                (System.nanoTime() - began) / 1e9, accepted.cardinality(), durable.cardinality());
        System.out.printf(Locale.ROOT, "  failed starts                  %d%n", failedStarts);
        System.out.printf(Locale.ROOT, "  acknowledged values lost       %d%s%n", lost.cardinality(),
                lost.isEmpty() ? "" : " (first: value " + lost.nextSetBit(0) + ")");
        System.out.printf(Locale.ROOT, "  broken counter identities      %d%n", brokenIdentities);
        if (starts.length > 0) {
            System.out.printf(Locale.ROOT, "  start to WRITING on LazyFS     median %.1f s, max %.1f s%n",
                    starts[starts.length / 2], starts[starts.length - 1]);
        }
        System.out.printf(Locale.ROOT, "  health's buffer reason after the starts: %s%n", healthReasons);
        return failedStarts == 0 && lost.isEmpty() && brokenIdentities == 0;
    }

    /** Starts the gateway on what the disk kept (mounting LazyFS again); true once every target writes. */
    private boolean startGateway() throws Exception {
        if (!fs.running()) {
            fs.remount();
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of(JVM));
        command.add("-Dorg.osgi.service.http.port=" + port);
        command.add("-Dorg.apache.felix.http.host=127.0.0.1");
        command.addAll(List.of("-jar", jar.toString()));
        Path log = work.resolve("gateway.log");
        Files.writeString(log, "=== start\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        gateway = new ProcessBuilder(command).directory(fs.mount().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline && gateway.isAlive()) {
            JsonNode targets = get("/api/buffer/writer/metrics").path("targets");
            boolean writing = targets.size() > 0;
            for (JsonNode t : targets) {
                writing &= t.path("state").asText().equals("WRITING");
            }
            if (writing) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    /** Newly lost values: answered 200 before the cut, and neither in the table nor in a backup file. */
    private int checkAcknowledged(BitSet must) throws Exception {
        must.andNot(lost);
        BitSet missing = missing(must);
        long stableSince = System.nanoTime();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!missing.isEmpty() && System.nanoTime() < deadline
                && System.nanoTime() - stableSince < TimeUnit.SECONDS.toNanos(5)) {
            Thread.sleep(300);
            BitSet now = missing(must);
            if (!now.equals(missing)) {
                stableSince = System.nanoTime();
            }
            missing = now;
        }
        lost.or(missing);
        return missing.cardinality();
    }

    private BitSet missing(BitSet must) throws Exception {
        BitSet unseen = (BitSet) must.clone();
        unseen.andNot(inTable);
        if (!unseen.isEmpty()) {
            readTable(unseen.nextSetBit(0), unseen.length());
        }
        BitSet missing = (BitSet) must.clone();
        missing.andNot(inTable);
        if (!missing.isEmpty()) {
            missing.andNot(inBackupFiles(fs.mount().resolve("backup")));
        }
        return missing;
    }

    private void readTable(int from, int to) throws SQLException {
        if (db == null || !db.isValid(2)) {
            db = DriverManager.getConnection(url, "sa", "");
        }
        try (ResultSet tables = db.getMetaData().getTables(null, null, "TAG_VALUES", null)) {
            if (!tables.next()) {
                return;
            }
        }
        try (PreparedStatement s = db.prepareStatement("SELECT NUM_VALUE FROM TAG_VALUES WHERE TAG_NAME = ? "
                + "AND SOURCE_TIME >= ? AND SOURCE_TIME <= ?")) {
            for (int tag = 0; tag < 20; tag++) {
                s.setString(1, PREFIX + tag);
                s.setObject(2, LocalDateTime.ofInstant(T0.plusNanos(from * 1000L), ZoneOffset.UTC));
                s.setObject(3, LocalDateTime.ofInstant(T0.plusNanos(to * 1000L), ZoneOffset.UTC));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        inTable.set((int) rs.getLong(1));
                    }
                }
            }
        }
    }

    private static BitSet inBackupFiles(Path folder) throws IOException {
        BitSet found = new BitSet();
        if (!Files.isDirectory(folder)) {
            return found;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".csv") || f.toString().endsWith(".part"))
                    .toList()) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    String[] cols = line.split(",");
                    if (cols.length >= 4 && cols[0].startsWith(PREFIX)) {
                        try {
                            found.set(Integer.parseInt(cols[3]));
                        } catch (NumberFormatException torn) {
                            // a torn last line
                        }
                    }
                }
            }
        }
        return found;
    }

    /** The counters' identity per target, with the producer paused so that the figures are of one moment. */
    private String identity() throws Exception {
        paused = true;
        synchronized (sending) {
            // the request under way is answered
        }
        try {
            String last = "";
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); System.nanoTime() < deadline;
                    Thread.sleep(250)) {
                JsonNode m = get("/api/buffer/writer/metrics");
                StringBuilder b = new StringBuilder();
                for (var it = m.path("targets").fields(); it.hasNext();) {
                    var e = it.next();
                    JsonNode t = e.getValue();
                    long routed = t.has("routed") ? t.path("routed").asLong() : m.path("valuesAccepted").asLong();
                    long sum = t.path("valuesWritten").asLong() + t.path("valuesAlreadyStored").asLong()
                            + t.path("valuesBackedUp").asLong() + t.path("valuesDropped").asLong()
                            + t.path("backlog").asLong();
                    b.append(e.getKey()).append(' ').append(routed).append(routed == sum ? " = " : " != ")
                            .append(sum).append(" (dropped ").append(t.path("valuesDropped").asLong()).append(')');
                }
                last = b.length() == 0 ? "no targets !=" : b.toString();
                if (!last.contains("!=")) {
                    return last;
                }
            }
            return last;
        } finally {
            paused = false;
        }
    }

    private String healthReason() {
        try {
            return get("/api/buffer/health").path("components").path("buffer").path("reason").asText("?");
        } catch (Exception e) {
            return "?";
        }
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    /** Posts values 50 at a time at the rate, keeping which were answered 200 (and said durable). */
    private void produce() {
        String auth = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        long start = System.nanoTime();
        int next = 0;
        while (producing) {
            if (paused) {
                sleep(10);
                start = System.nanoTime() - TimeUnit.SECONDS.toNanos(next) / rate;
                continue;
            }
            long wait = start + TimeUnit.SECONDS.toNanos(next) / rate - System.nanoTime();
            if (wait > 0) {
                sleep(Math.max(1, wait / 1_000_000));
                continue;
            }
            synchronized (sending) {
                if (paused) {
                    continue;
                }
                int from = next;
                next += PER_REQUEST;
                offered = next;
                StringBuilder body = new StringBuilder("[");
                for (int i = from; i < next; i++) {
                    body.append(i > from ? "," : "").append("{\"tagName\":\"").append(PREFIX).append(i % 20)
                            .append("\",\"sourceTime\":\"").append(T0.plusNanos(i * 1000L)).append("\",\"value\":")
                            .append(i).append('}');
                }
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/api/buffer/values")).timeout(Duration.ofSeconds(5))
                            .header("Content-Type", "application/json").header("Authorization", auth)
                            .POST(HttpRequest.BodyPublishers.ofString(body.append(']').toString())).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        synchronized (accepted) {
                            accepted.set(from, next);
                            if (r.body().replace(" ", "").contains("\"durable\":true")) {
                                durable.set(from, next);
                            }
                        }
                    }
                } catch (Exception gone) {
                    // not accepted: the values are the producer's still
                }
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void close() throws Exception {
        producing = false;
        if (gateway != null && gateway.isAlive()) {
            gateway.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (fs != null) {
            fs.close();
        }
        if (db != null) {
            db.close();
        }
        if (h2 != null) {
            h2.stop();
        }
        System.out.println("Kept for analysis: " + work + " (disk/ is what the disk kept; gateway.log every start)");
    }
}
