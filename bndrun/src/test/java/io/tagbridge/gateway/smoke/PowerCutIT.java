package io.tagbridge.gateway.smoke;

import static io.tagbridge.testkit.LazyFs.Crash.afterRenameTo;
import static io.tagbridge.testkit.LazyFs.Crash.beforeFsync;
import static io.tagbridge.testkit.LazyFs.Crash.beforeRenameTo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.TestAbortedException;

import io.tagbridge.testkit.LazyFs;
import io.tagbridge.testkit.Await;
import io.tagbridge.testkit.ChangedJar;
import io.tagbridge.testkit.PowerCutRig;

/**
 * Power cuts on the exported gateway, with its whole working directory on LazyFS (see {@link PowerCutRig} and
 * {@code testkit/README.md}): at random moments of a steady stream, and at each file the gateway replaces or syncs.
 * After each cut the gateway starts on what the disk kept and must show what {@link PowerCutRig#restartAndCheck}
 * lists; each step is a test of its own, and the checks after one restart are the start of the next cut.
 *
 * <p>Crashes at a rename are "after" the rename unless said otherwise: LazyFS passes renames straight to the disk,
 * so the renamed file is in place, with its data only if the gateway synced it first. That is where a missing sync
 * shows. Without LazyFS the tests are skipped (or fail with {@code -Dtagbridge.lazyfs.required=true}).
 */
class PowerCutIT {

    /** Values per second the producer posts: a rollover of the 1 MB journal segments every few seconds. */
    private static final int RATE = 2_000;
    private static final String WRITER = "name=default\noutageMode=BACKUP\nretryDelaySeconds=0.2\n"
            + "retryMaxDelaySeconds=1\noutageProbeSeconds=1\n";
    private static final String BUFFER = "journalSegmentMegabytes=1\njournalMaxMegabytes=16\n"
            + "journalMinFreeDiskMegabytes=0\n";
    private static final Duration START_CRASH = Duration.ofSeconds(60);

    private PowerCutRig rig;
    private final Map<String, Double> seconds = new LinkedHashMap<>();

    @AfterEach
    void close() throws Exception {
        if (rig != null) {
            rig.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> aGatewayWritingToARemoteDatabaseLosesNoAcknowledgedValueToAPowerCut() throws Exception {
        long seed = seed();
        Random random = new Random(seed);
        long[] moments = { 500 + random.nextInt(2500), 500 + random.nextInt(2500), 500 + random.nextInt(2500) };
        rig = rig("remote", true);
        if (rig == null) {
            return skipped();
        }
        rig.note("random moments %d, %d and %d ms after the checks (seed %d; again with -Dtagbridge.powercut.seed=%d)",
                moments[0], moments[1], moments[2], seed, seed);
        rig.configure("io.tagbridge.writer-default.cfg", WRITER).configure("io.tagbridge.buffer.cfg", BUFFER)
                .configure("io.tagbridge.backup.cfg", "minFreeMegabytes=0\n");
        Path root = rig.fs.root();
        Path moved = rig.fs.mount().resolve("journal-moved");
        List<DynamicTest> steps = new ArrayList<>();

        steps.add(step("the first start, cut just after it sealed the operator's clear password in its etc file, "
                + "keeps a password that opens the gateway", soft -> {
                    rig.crashWhileStarting(afterRenameTo("etc/io\\.tagbridge\\.security\\.cfg$"), START_CRASH);
                    soft.assertThat(Files.readString(root.resolve("etc/io.tagbridge.security.cfg")))
                            .as("the security etc file the disk kept").containsPattern("(?m)^password=\\S+");
                    rig.restartAndCheck(soft, false);
                }));
        for (int i = 0; i < moments.length; i++) {
            long moment = moments[i];
            steps.add(step("a power cut " + moment + " ms into a steady stream loses no acknowledged value ("
                    + (i + 1) + " of 3)", soft -> {
                        running();
                        Thread.sleep(moment);
                        rig.cut();
                        rig.restartAndCheck(soft, true);
                    }));
        }
        steps.add(step("a power cut just after the next journal segment is renamed into place loses no "
                + "acknowledged value", soft -> {
                    running();
                    rig.crashAt(afterRenameTo("journal/segment-[0-9]+\\.tbj$"), Duration.ofSeconds(90),
                            () -> rig.fillJournal(1));
                    rig.restartAndCheck(soft, true);
                }));
        steps.add(step("a power cut between the ledger's two renames, with only the previous ledger on disk, loses "
                + "no acknowledged value", soft -> {
                    running();
                    rig.crashAt(beforeRenameTo("journal/ledger\\.properties$"), Duration.ofSeconds(30), () -> { });
                    rig.note("ledgers the disk kept: %s", list(root.resolve("data/journal"), "ledger"));
                    rig.restartAndCheck(soft, true);
                }));
        steps.add(step("a power cut just after a console save is written back to the writer's etc file leaves "
                + "the file whole", soft -> {
                    running();
                    rig.gateway.awaitConsole();
                    rig.crashAt(afterRenameTo("etc/io\\.tagbridge\\.writer-default\\.cfg$"), Duration.ofSeconds(30),
                            () -> rig.gateway.postForm("/system/console/configMgr/io.tagbridge.writer~default",
                                    "apply=true&action=ajaxConfigManager&propertylist=name,outageMode,"
                                            + "retryDelaySeconds,retryMaxDelaySeconds,outageProbeSeconds,batchSize"
                                            + "&name=default&outageMode=BACKUP&retryDelaySeconds=0.2"
                                            + "&retryMaxDelaySeconds=1.0&outageProbeSeconds=1.0&batchSize=400"));
                    String kept = Files.readString(root.resolve("etc/io.tagbridge.writer-default.cfg"));
                    soft.assertThat(kept).as("the writer's etc file the disk kept, after the console's save")
                            .contains("name=default").contains("outageMode=BACKUP");
                    rig.restartAndCheck(soft, true);
                }));
        steps.add(step("a power cut just after a kept bundle update is renamed into data/bundles leaves a gateway "
                + "that starts and writes", soft -> {
                    running();
                    Path jar = ChangedWriter.writeTo(rig.base.resolve("writer-changed.jar"));
                    rig.crashAt(afterRenameTo("bundles/io\\.tagbridge\\.writer\\.jar$"), Duration.ofSeconds(60),
                            () -> rig.gateway.shell("tagbridge:upgrade writer " + jar));
                    Path kept = root.resolve("data/bundles/io.tagbridge.writer.jar");
                    soft.assertThat(!Files.exists(kept) || ChangedJar.whole(kept))
                            .as("the kept update the disk kept (%s bytes) is absent or a whole jar",
                                    Files.exists(kept) ? Files.size(kept) : 0).isTrue();
                    rig.restartAndCheck(soft, true);
                }));
        steps.add(step("a power cut just after a backup file is closed during a database outage keeps its rows",
                soft -> {
                    running();
                    rig.db.kill();
                    long t0 = System.nanoTime();
                    Await.until("values in backup files during the outage", Duration.ofSeconds(60),
                            () -> rig.checks.inBackupFiles(rig.fs.mount().resolve("backup")).cardinality(),
                            n -> n >= RATE / 5, rig::gatewayLogTail);
                    rig.note("%,d values in backup files after %.1f s of outage",
                            rig.checks.inBackupFiles(rig.fs.mount().resolve("backup")).cardinality(),
                            (System.nanoTime() - t0) / 1e9);
                    rig.crashAt(afterRenameTo("backup/default/backup_[0-9_]+\\.csv$"), Duration.ofSeconds(60),
                            rig.db::start);
                    List<Path> closed = files(root.resolve("backup/default"), ".csv");
                    soft.assertThat(closed).as("closed backup files the disk kept").isNotEmpty();
                    for (Path f : closed) {
                        String text = Files.readString(f, StandardCharsets.UTF_8);
                        soft.assertThat(text).as("backup file %s, %d bytes, whole: a header and whole lines", f,
                                text.length()).startsWith("tag_name,").endsWith("\n");
                    }
                    rig.note("values in the backup files the disk kept: %,d",
                            rig.checks.inBackupFiles(root.resolve("backup")).cardinality());
                    // The start after this cut replays the file: the next step cuts that replay, then checks.
                }));
        steps.add(step("a power cut as a replay records its progress in the .replayed count stores every "
                + "backed-up value, once", soft -> {
                    // the count is replaced whole (a rename) or appended to and synced: whichever comes first
                    rig.crashWhileStarting(new LazyFs.Crash[] { afterRenameTo("\\.csv\\.replayed$"),
                            beforeFsync("\\.csv\\.replayed$") }, START_CRASH);
                    for (Path f : files(root.resolve("backup/default"), ".replayed")) {
                        rig.note("replay count the disk kept in %s: %s", f.getFileName(), Files.readString(f).strip());
                    }
                    rig.restartAndCheck(soft, true);
                }));
        steps.add(step("a power cut just after the journal, moved to another directory, made its first segment "
                + "there loses no acknowledged value", soft -> {
                    running();
                    rig.crashAt(afterRenameTo("journal-moved/segment-[0-9]+\\.tbj$"), Duration.ofSeconds(30),
                            () -> rig.configure("io.tagbridge.buffer.cfg", BUFFER + "journalDirectory=" + moved
                                    + "\n"));
                    // The old journal stopped in order once drained, and the new one held nothing yet: no value
                    // was at risk, and a journal with nothing in it cannot tell this start from a first one.
                    rig.restartAndCheck(soft, false);
                }));
        steps.add(step("a power cut once the journal is switched off keeps every value answered as durable",
                soft -> {
                    running();
                    rig.checks.journalOffFromNow();
                    rig.configure("io.tagbridge.buffer.cfg", BUFFER + "journalDirectory=" + moved
                            + "\njournal=false\n");
                    rig.gateway.awaitGet("/api/buffer/health", body -> body.contains("\"journal\":false"),
                            Duration.ofSeconds(30));
                    rig.note("the journal is off");
                    Thread.sleep(1500);
                    rig.cut();
                    rig.restartAndCheck(soft, false);
                }));
        steps.add(step("after the cuts, every acknowledged value is in the table or a backup file and the gateway "
                + "stops in order", soft -> finish(soft)));
        return steps.stream();
    }

    @TestFactory
    Stream<DynamicTest> aGatewayWritingToItsEmbeddedDatabaseLosesNoAcknowledgedValueToAPowerCut() throws Exception {
        rig = rig("embedded", false);
        if (rig == null) {
            return skipped();
        }
        rig.withoutLogin();
        rig.configure("io.tagbridge.buffer.cfg", BUFFER);
        Path root = rig.fs.root();
        List<DynamicTest> steps = new ArrayList<>();
        // The key and the generated password's hash are written at the first start, in an order of the security
        // bundle's making: the first start is cut at whichever comes first, the next at the other, if still due.
        String key = "data/security/secret.key";
        String hash = "data/security/admin-password.hash";
        LazyFs.Crash atKey = afterRenameTo("security/secret\\.key$");
        LazyFs.Crash atHash = afterRenameTo("security/admin-password\\.hash$");
        steps.add(step("the first start, cut just after it renamed its key for secrets or its password hash into "
                + "place, keeps that file whole", soft -> {
                    rig.crashWhileStarting(new LazyFs.Crash[] { atKey, atHash }, START_CRASH);
                    checkWhole(soft, root, key, hash);
                }));
        steps.add(step("the start after, cut just after it renamed the other of the two, opens with the password "
                + "it wrote", soft -> {
                    List<LazyFs.Crash> due = new ArrayList<>();
                    if (!Files.exists(root.resolve(key))) {
                        due.add(atKey);
                    }
                    if (!Files.exists(root.resolve(hash))) {
                        due.add(atHash);
                    }
                    if (due.isEmpty()) {
                        rig.note("both were written before the first cut: no second cut");
                    } else {
                        rig.crashWhileStarting(due.toArray(LazyFs.Crash[]::new), START_CRASH);
                    }
                    checkWhole(soft, root, key, hash);
                    Path initial = root.resolve("data/initial-admin-password");
                    String password = Files.exists(initial) ? Files.readString(initial).strip() : "";
                    rig.login("admin", password);
                    soft.assertThat(password).as("the initial password the disk kept").isNotEmpty();
                    rig.restartAndCheck(soft, false);
                }));
        steps.add(step("a power cut just before the embedded database syncs its checkpoint loses no acknowledged "
                + "value", soft -> {
                    running();
                    Thread.sleep(1000);
                    rig.crashAt(beforeFsync("data/tagbridge\\.mv\\.db$"), Duration.ofSeconds(30), () -> { });
                    rig.restartAndCheck(soft, true);
                }));
        steps.add(step("after the cuts, every acknowledged value is in the embedded table or a backup file",
                soft -> finish(soft)));
        return steps.stream();
    }

    private TestAbortedException skip;

    /**
     * The rig, or null when LazyFS cannot run here and power-cut tests are not required: then the chain is one
     * skipped test, with the message that says how to get LazyFS (an aborted factory would show nothing at all).
     */
    private PowerCutRig rig(String name, boolean remoteDatabase) throws Exception {
        try {
            return PowerCutRig.create(name, remoteDatabase, RATE);
        } catch (TestAbortedException notHere) {
            skip = notHere;
            return null;
        }
    }

    private Stream<DynamicTest> skipped() {
        TestAbortedException why = skip;
        return Stream.of(DynamicTest.dynamicTest("power cuts on LazyFS", () -> {
            throw why;
        }));
    }

    /** Every one of the files that the disk kept is whole: not empty. */
    private static void checkWhole(SoftAssertions soft, Path root, String... files) throws java.io.IOException {
        for (String file : files) {
            Path f = root.resolve(file);
            if (Files.exists(f)) {
                soft.assertThat(Files.size(f)).as("size of %s as the disk kept it", file).isPositive();
            }
        }
    }

    /** Stops producing, lets the backlog drain, checks, stops the gateway with SIGTERM, and prints the times. */
    private void finish(SoftAssertions soft) throws Exception {
        running();
        rig.producer().close();
        soft.assertThat(rig.producer().accepted().cardinality()).as("values answered 200 over the chain").isPositive();
        rig.awaitBacklogWritten(Duration.ofSeconds(60));
        rig.checks.acknowledgedSurvive(soft);
        rig.checks.counters(soft);
        rig.gateway.stop(Duration.ofSeconds(15));
        if (rig.db == null) {
            rig.checks.embeddedTable(soft);
        }
        rig.note("answers by HTTP status over the whole chain: %s", rig.producer().statuses());
        StringBuilder table = new StringBuilder("time per step:");
        seconds.forEach((title, s) -> table.append(String.format("%n  %6.1f s  %s", s, title)));
        table.append(String.format("%n  %6.1f s  in all", seconds.values().stream().mapToDouble(d -> d).sum()));
        rig.note("%s", table);
    }

    /** The gateway runs and the producer posts: a step after a failed one starts from there. */
    private void running() throws Exception {
        rig.ensureRunning();
        rig.produce();
    }

    private interface Step {
        void run(SoftAssertions soft) throws Exception;
    }

    private DynamicTest step(String title, Step body) {
        return DynamicTest.dynamicTest(title, () -> {
            rig.step(title);
            long t0 = System.nanoTime();
            SoftAssertions soft = new SoftAssertions();
            try {
                body.run(soft);
            } catch (Exception | AssertionError e) {
                // what the disk kept, checked before the step broke off, explains the break: keep it in the report
                soft.assertionErrorsCollected().forEach(e::addSuppressed);
                throw e;
            } finally {
                double s = (System.nanoTime() - t0) / 1e9;
                seconds.put(title, s);
                rig.note("step done in %.1f s", s);
            }
            soft.assertAll();
        });
    }

    private static long seed() {
        String configured = System.getProperty("tagbridge.powercut.seed", "").trim();
        return configured.isEmpty() ? new Random().nextLong() : Long.parseLong(configured);
    }

    private static List<Path> files(Path dir, String suffix) throws java.io.IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static List<String> list(Path dir, String containing) throws java.io.IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.contains(containing)).sorted().toList();
        }
    }
}
