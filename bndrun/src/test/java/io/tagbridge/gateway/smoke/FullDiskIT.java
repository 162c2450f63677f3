package io.tagbridge.gateway.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tagbridge.testkit.SmallDisk;
import io.tagbridge.testkit.Await;
import io.tagbridge.testkit.H2Server;
import io.tagbridge.testkit.AfterCutChecks;
import io.tagbridge.testkit.ChangedJar;
import io.tagbridge.testkit.GatewayProcess;
import io.tagbridge.testkit.PowerCutRig;
import io.tagbridge.testkit.Producer;

/**
 * The gateway's whole working directory (etc/, data/, backup/) on a small disk (a tmpfs, see {@link SmallDisk}),
 * filled by a filler file during a database outage while a producer posts 5,000 values/s over REST. With the
 * free-space guards at 0 the kernel's ENOSPC is met wherever the gateway writes: the next journal segment, the
 * ledger, backup files, the embedded H2 file of a second target, an etc file written back from the console, a kept
 * bundle update. With the guards as shipped, the gateway refuses values before that. Either way nothing answered 200
 * is lost, and once there is room again the same process goes on. Without root the tests are skipped (or fail with
 * {@code -Dtagbridge.fulldisk.required=true}).
 */
class FullDiskIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATABASE = "plant";
    private static final int RATE = 5_000;
    private static final String RETRIES = "retryDelaySeconds=0.2\nretryMaxDelaySeconds=1\noutageProbeSeconds=1\n";
    /** What a health answer says when the disk is full: the kernel's words, or the gateway's. */
    private static final Pattern FULL = Pattern.compile("(?i)no space left on device|disk is full|full disk|DISK_FULL"
            + "|has 0 MB free");

    @Test
    void withTheFreeSpaceGuardsAtZeroAFullDiskLosesNoAcknowledgedValueAndTheSameGatewayGoesOnOnceThereIsRoom()
            throws Exception {
        Path base = fresh("guards-at-zero");
        try (SmallDisk disk = SmallDisk.mount(base.resolve("disk"), 48);
                H2Server db = new H2Server(base.resolve("db")).start();
                GatewayProcess gateway = new GatewayProcess(disk.dir(), base.resolve("gateway.log"))) {
            gateway.configure("io.tagbridge.oracle.pool-default.cfg", remotePool(db))
                    .configure("io.tagbridge.writer-default.cfg", "name=default\n" + RETRIES)
                    // a second target writing to the embedded H2 database, whose file is on the small disk too
                    .configure("io.tagbridge.oracle.pool-local.cfg", "name=local\n")
                    .configure("io.tagbridge.writer-local.cfg", "name=local\ndataSource.target=(name=local)\n"
                            + RETRIES)
                    .configure("io.tagbridge.buffer.cfg", "journalSegmentMegabytes=1\njournalMaxMegabytes=32\n"
                            + "journalMinFreeDiskMegabytes=0\n")
                    .configure("io.tagbridge.backup.cfg", "minFreeMegabytes=0\n")
                    .configure("io.tagbridge.simulator.cfg", "enabled=false\n");
            Clock clock = new Clock("guards at 0");
            gateway.start(PowerCutRig.JVM);
            awaitWriting(gateway, 2);
            clock.lap("started, both targets writing");
            long pid = gateway.pid();
            Producer producer = new Producer(gateway.port, "full.", RATE);
            await("values accepted", Duration.ofSeconds(30), () -> producer.accepted().cardinality() > RATE);
            db.kill();
            long filler = disk.fill("filler");
            clock.lap("remote database down; the disk filled with a filler of %,d bytes", filler);
            // large values fill the journal's current and prepared segments in a moment: the next one meets ENOSPC
            Producer.postLargeValues(gateway, GatewayProcess.USER, GatewayProcess.PASSWORD, 3, 0);

            await("values refused (503) once the journal cannot grow", Duration.ofSeconds(90),
                    () -> producer.statuses().getOrDefault(503, 0) > 0);
            clock.lap("values refused: %s", producer.statuses());
            String health = await(gateway, "health naming the full disk", Duration.ofSeconds(60),
                    body -> FULL.matcher(body).find());
            clock.lap("health names the full disk: %s", excerpt(health, FULL));

            SoftAssertions soft = new SoftAssertions();
            // a console save written back to an etc file, on the full disk
            gateway.awaitConsole();
            Path writerFile = disk.dir().resolve("etc/io.tagbridge.writer-default.cfg");
            var saved = gateway.postForm("/system/console/configMgr/io.tagbridge.writer~default",
                    "apply=true&action=ajaxConfigManager&propertylist=name,retryDelaySeconds,retryMaxDelaySeconds,"
                            + "outageProbeSeconds,batchSize&name=default&retryDelaySeconds=0.2"
                            + "&retryMaxDelaySeconds=1.0&outageProbeSeconds=1.0&batchSize=400");
            clock.lap("console save on the full disk answered %d", saved.statusCode());
            // a kept bundle update, on the full disk
            Path jar = ChangedWriter.writeTo(base.resolve("writer-changed.jar"));
            int before = gateway.log().length();
            gateway.shell("tagbridge:upgrade writer " + jar);
            await("an answer to tagbridge:upgrade", Duration.ofSeconds(30), () -> logSince(gateway, before)
                    .matches("(?s).*(Updated io\\.tagbridge\\.writer|No space left|IOException|rror).*"));
            clock.lap("tagbridge:upgrade on the full disk: %s", logSince(gateway, before).lines()
                    .filter(l -> l.contains("pdated") || l.contains("space") || l.contains("rror")).findFirst()
                    .orElse("?"));
            soft.assertThat(Files.readString(writerFile)).as("the writer's etc file after a console save on a full "
                    + "disk: whole, old or new").contains("name=default").contains("retryDelaySeconds=0.2");
            Path kept = disk.dir().resolve("data/bundles/io.tagbridge.writer.jar");
            soft.assertThat(!Files.exists(kept) || ChangedJar.whole(kept)).as("a kept update on a full disk is "
                    + "absent or whole").isTrue();

            disk.unfill("filler");
            int roomFrom = producer.offered();
            clock.lap("filler deleted");
            await("values accepted again, without a restart", Duration.ofSeconds(60),
                    () -> producer.accepted().nextSetBit(roomFrom) >= 0);
            clock.lap("values accepted again");
            soft.assertThat(gateway.pid()).as("the same gateway process goes on").isEqualTo(pid);
            soft.assertThat(gateway.running()).as("the gateway runs").isTrue();
            assertThat(gateway.log()).as("no restart").doesNotContain("=== start 2");

            db.start();
            producer.close();
            awaitBacklogWritten(gateway, Duration.ofSeconds(60));
            clock.lap("remote database back; every target's backlog written");
            checkEveryAcknowledgedValueStored(soft, db, producer, disk.dir().resolve("backup"));
            JsonNode metrics = metrics(gateway);
            String identities = AfterCutChecks.identities(metrics);
            soft.assertThat(identities).as("per target, routed = written + already stored + backed up + dropped + "
                    + "backlog").doesNotContain("!=");
            for (String target : new String[] { "default", "local" }) {
                soft.assertThat(metrics.path("targets").path(target).path("valuesDropped").asLong())
                        .as("values dropped by target %s (a dropped value may have been answered 200)", target)
                        .isZero();
            }
            JsonNode after = JSON.readTree(gateway.getAs("/api/buffer/health", GatewayProcess.USER,
                    GatewayProcess.PASSWORD).body());
            soft.assertThat(after.path("status").asText()).as("health once there is room and the database is "
                    + "back: %s", after).isIn("UP", "DEGRADED");
            clock.lap("checked: %s; answers by status %s", identities, producer.statuses());
            soft.assertAll();
        }
    }

    @Test
    void withTheFreeSpaceGuardsAsShippedTheSameFillRefusesValuesBeforeTheKernelRefusesAWrite() throws Exception {
        Path base = fresh("guards-as-shipped");
        try (SmallDisk disk = SmallDisk.mount(base.resolve("disk"), 320);
                H2Server db = new H2Server(base.resolve("db")).start();
                GatewayProcess gateway = new GatewayProcess(disk.dir(), base.resolve("gateway.log"))) {
            // the shipped guards: the journal and the backups leave 256 MB of the disk free
            gateway.configure("io.tagbridge.oracle.pool-default.cfg", remotePool(db))
                    .configure("io.tagbridge.writer-default.cfg", "name=default\n" + RETRIES)
                    .configure("io.tagbridge.buffer.cfg", "journalSegmentMegabytes=1\n")
                    .configure("io.tagbridge.simulator.cfg", "enabled=false\n");
            Clock clock = new Clock("guards as shipped");
            gateway.start(PowerCutRig.JVM);
            awaitWriting(gateway, 1);
            clock.lap("started");
            long pid = gateway.pid();
            Producer producer = new Producer(gateway.port, "guarded.", RATE);
            await("values accepted", Duration.ofSeconds(30), () -> producer.accepted().cardinality() > RATE);
            db.kill();
            long filler = disk.fill("filler", 64L << 20);
            clock.lap("remote database down; a filler of %,d bytes leaves %,d bytes free", filler, disk.free());
            Producer.postLargeValues(gateway, GatewayProcess.USER, GatewayProcess.PASSWORD, 3, 0);

            await("values refused (503) once the journal may not grow", Duration.ofSeconds(90),
                    () -> producer.statuses().getOrDefault(503, 0) > 0);
            long free = disk.free();
            clock.lap("values refused with %,d bytes free: %s", free, producer.statuses());
            SoftAssertions soft = new SoftAssertions();
            soft.assertThat(free).as("free bytes when the gateway refused: the guard, not the kernel")
                    .isGreaterThan(32L << 20);
            JsonNode health = JSON.readTree(gateway.getAs("/api/buffer/health", GatewayProcess.USER,
                    GatewayProcess.PASSWORD).body());
            soft.assertThat(health.toString()).as("health says why values are refused").containsPattern(
                    "(?i)DISK_LOW|journalMinFreeDiskMegabytes|minFreeMegabytes|free");
            soft.assertThat(gateway.log()).as("no write met ENOSPC").doesNotContain("No space left on device");

            disk.unfill("filler");
            int roomFrom = producer.offered();
            await("values accepted again, without a restart", Duration.ofSeconds(60),
                    () -> producer.accepted().nextSetBit(roomFrom) >= 0);
            clock.lap("filler deleted; values accepted again");
            soft.assertThat(gateway.pid()).as("the same gateway process goes on").isEqualTo(pid);
            db.start();
            producer.close();
            awaitBacklogWritten(gateway, Duration.ofSeconds(60));
            checkEveryAcknowledgedValueStored(soft, db, producer, disk.dir().resolve("backup"));
            String identities = AfterCutChecks.identities(metrics(gateway));
            soft.assertThat(identities).doesNotContain("!=");
            clock.lap("checked: %s; answers by status %s", identities, producer.statuses());
            soft.assertAll();
        }
    }

    private static String remotePool(H2Server db) {
        return "name=default\nurl=" + db.url(DATABASE) + "\nusername=sa\npassword=\npoolMin=1\n"
                + "connectTimeoutSeconds=2\nreadTimeoutSeconds=30\n";
    }

    private static Path fresh(String name) throws Exception {
        Path base = Path.of("target/fulldisk", name).toAbsolutePath();
        PowerCutRig.deleteTree(base.resolve("db"));
        Files.deleteIfExists(base.resolve("gateway.log"));
        return Files.createDirectories(base);
    }

    private static void checkEveryAcknowledgedValueStored(SoftAssertions soft, H2Server db, Producer producer,
            Path backup) throws Exception {
        Set<String> stored = new HashSet<>(db.storedKeys(DATABASE, producer.tag(0).replaceAll("\\d+$", "")));
        BitSet inFiles = AfterCutChecks.inBackupFiles(backup, producer.tag(0).replaceAll("\\d+$", ""));
        BitSet accepted = producer.accepted();
        int missing = 0;
        String example = "none";
        for (int i = accepted.nextSetBit(0); i >= 0; i = accepted.nextSetBit(i + 1)) {
            if (!stored.contains(producer.key(i)) && !inFiles.get(i)) {
                example = missing == 0 ? "value " + i : example;
                missing++;
            }
        }
        soft.assertThat(missing).as("of %,d values answered 200, those neither in the table nor in a backup file, "
                + "e.g. %s", accepted.cardinality(), example).isZero();
    }

    private static void awaitWriting(GatewayProcess gateway, int targets) throws Exception {
        gateway.awaitGet("/api/buffer/writer/metrics", body -> {
            JsonNode t = read(body).path("targets");
            int writing = 0;
            for (JsonNode target : t) {
                writing += target.path("state").asText().equals("WRITING") ? 1 : 0;
            }
            return writing == targets;
        }, Duration.ofSeconds(90));
    }

    private static void awaitBacklogWritten(GatewayProcess gateway, Duration timeout) throws Exception {
        gateway.awaitGet("/api/buffer/writer/metrics", body -> {
            JsonNode t = read(body).path("targets");
            for (JsonNode target : t) {
                if (target.path("backlog").asLong(-1) != 0) {
                    return false;
                }
            }
            return t.size() > 0;
        }, timeout);
    }

    private static JsonNode metrics(GatewayProcess gateway) throws Exception {
        return read(gateway.get("/api/buffer/writer/metrics").body());
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            return JSON.createObjectNode();
        }
    }

    /** Waits until health (read with the login, so with its error texts), whatever its status, satisfies done. */
    private static String await(GatewayProcess gateway, String what, Duration timeout,
            java.util.function.Predicate<String> done) throws Exception {
        return gateway.await(what, () -> gateway.getAs("/api/buffer/health", GatewayProcess.USER,
                GatewayProcess.PASSWORD), r -> done.test(r.body()), timeout).body();
    }

    private static void await(String what, Duration timeout, BooleanSupplier done) {
        Await.until(what, timeout, done::getAsBoolean);
    }

    private static String logSince(GatewayProcess gateway, int from) {
        try {
            String log = gateway.log();
            return log.substring(Math.min(from, log.length()));
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static String excerpt(String text, Pattern pattern) {
        var m = pattern.matcher(text);
        return m.find() ? text.substring(Math.max(0, m.start() - 120), Math.min(text.length(), m.end() + 60)) : "";
    }

    /** Prints each phase's time, for the report. */
    private static final class Clock {
        private final String name;
        private final long start = System.nanoTime();
        private long last = start;

        Clock(String name) {
            this.name = name;
        }

        void lap(String format, Object... args) {
            long now = System.nanoTime();
            System.out.printf(Locale.ROOT, "[full-disk %s +%.1fs, %.1fs] %s%n", name, (now - start) / 1e9,
                    (now - last) / 1e9, String.format(Locale.ROOT, format, args));
            last = now;
        }
    }
}
