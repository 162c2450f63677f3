package io.tagbridge.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tagbridge.api.pipeline.BufferStatus;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.TargetBacklog;
import io.tagbridge.api.pipeline.TargetCursor;
import io.tagbridge.buffer.journal.FileStorage;
import io.tagbridge.testkit.Await;
import io.tagbridge.testkit.LazyFs;
import io.tagbridge.testkit.LazyFs.Crash;

/**
 * The journal's promises under real power cuts, on LazyFS, which drops every byte not synced: the buffer runs in a
 * process of its own ({@link JournalUnderLoad}) with small segments, so that rollovers happen, while two drivers
 * offer, one plainly and one durably, and a writer settles. After each cut the journal is opened on what the disk
 * kept, as the next start does, and its backlog written. Then:
 * <ul>
 * <li>every value a durable offer had answered as on disk is there (settled before the cut, or in the journal);
 * <li>every value a plain offer had answered before the last sync the start reports ({@code lastSync}) is there:
 * what a cut may take is only what was accepted after it;
 * <li>the start reports the unclean stop, and per target accepted = written + ... + backlog, with the backlog
 * written down to zero (no count points at values the disk lost).
 * </ul>
 * One journal lives through every cut in a test, as a gateway's does. LazyFS runs with its directory model
 * ({@link LazyFs#withDirectoryModel()}): a cut also takes the renames (segments, ledgers) that no sync of the
 * journal's directory followed.
 */
class JournalPowerCutTest {

    private static final int SEGMENT = 256 * 1024;
    private static final long RUN = 100_000_000L;
    private static final long FOLDED = 10_000_000L;
    private static final long SEED = Long.getLong("tagbridge.powercut.seed", System.nanoTime());

    private final Path base = Path.of("target", "powercut", Long.toString(System.nanoTime(), 36)).toAbsolutePath();
    private LazyFs disk;
    private long next;
    private final BitSet plainStored = new BitSet();
    private final BitSet durableStored = new BitSet();

    @BeforeEach
    void mount() throws Exception {
        // with the directory model: a rename no sync of its directory followed is undone by the cut
        disk = LazyFs.mount(base.resolve("disk"), base.resolve("mnt")).withDirectoryModel();
        System.out.println("JournalPowerCutTest seed " + SEED + " (rerun with -Dtagbridge.powercut.seed=" + SEED + ")");
    }

    @AfterEach
    void unmount() throws Exception {
        if (disk != null) {
            disk.close();
        }
    }

    /** What the process answered before the power went. */
    private record Answers(List<long[]> plain, BitSet durable, BitSet writtenPlain, BitSet writtenDurable,
            AtomicLong writtenByTheLiveLane) {
    }

    /** The process while it runs: its answers so far are lines in {@code file}. */
    private record Running(Process process, Path file) {

        /** Waits until the process has answered this many times: it runs, offers and writes. */
        void awaitLines(int n) {
            Await.until("the buffer's process to answer " + n + " times", Duration.ofSeconds(60), () -> {
                try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
                    return lines.count();
                }
            }, answered -> answered >= n);
        }

        long pid() {
            return process.pid();
        }
    }

    @Test
    void cutsAtRandomMomentsOfASteadyStreamLoseNothingAnsweredAsDurableNorAcceptedBeforeTheLastSync() throws Exception {
        Random random = new Random(SEED);
        for (int cut = 0; cut < 3; cut++) {
            Answers answers = runUntil(running -> {
                running.awaitLines(100);
                Thread.sleep(random.nextInt(1500));
                disk.cut(running.pid());
            });
            verifyAfterTheCut(answers, "random cut " + cut);
            disk.remount();
        }
    }

    @Test
    void cutsWhileALiveLaneWritesAheadOfTheBacklogLoseNothingAnsweredAsDurableNorAcceptedBeforeTheLastSync()
            throws Exception {
        Random random = new Random(SEED);
        long writtenAhead = 0;
        for (int cut = 0; cut < 3; cut++) {
            Answers answers = runUntil(running -> {
                running.awaitLines(100);
                Thread.sleep(500 + random.nextInt(1000));
                disk.cut(running.pid());
            }, "live");
            writtenAhead += answers.writtenByTheLiveLane().get();
            verifyAfterTheCut(answers, "random cut with a live lane " + cut);
            disk.remount();
        }
        assertThat(writtenAhead).as("values the live lane wrote ahead of the backlog").isPositive();
    }

    @Test
    void cutsAtTheLedgersRenameAtARolloverAndDuringTheJournalsSyncLoseNothingThatWasPromised() throws Exception {
        for (Crash crash : List.of(Crash.beforeRenameTo("ledger\\.properties$"), Crash.beforeRenameTo("segment-"),
                Crash.beforeFsync("segment-"), Crash.afterRenameTo("ledger\\.properties$"))) {
            Answers answers = runUntil(running -> {
                running.awaitLines(100);
                disk.crashAt(crash);
                disk.awaitCrash(Duration.ofSeconds(60), running.pid());
            });
            verifyAfterTheCut(answers, "crash " + crash);
            disk.remount();
        }
    }

    /**
     * Starts the buffer's process, lets {@code cut} cut the power, and reads what the process answered. The answers
     * go to a file outside the file system being cut, read once the process is gone: a pipe would not do, since
     * the JDK closes a killed process's output stream under its reader and the lines still in the pipe, the
     * newest answers, are lost with it (seen: a reader of such a pipe missed the last 88 to 1,602 lines).
     */
    private Answers runUntil(Cut cut, String... mode) throws Exception {
        Path file = base.resolve("answers-" + next / RUN + ".txt");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx128m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                JournalUnderLoad.class.getName(), disk.mount().resolve("journal").toString(),
                Integer.toString(SEGMENT), Long.toString(next)));
        command.addAll(List.of(mode));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(file.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(base.resolve("load.log").toFile()));
        builder.environment().putAll(disk.environment());
        Process load = builder.start();
        next += RUN;
        try {
            cut.run(new Running(load, file));
        } finally {
            load.destroyForcibly();
            load.waitFor(30, TimeUnit.SECONDS);
        }
        Answers answers = read(file);
        assertThat(answers.plain()).as("plain offers answered before the cut").isNotEmpty();
        assertThat(answers.durable().cardinality()).as("durable offers answered before the cut").isPositive();
        return answers;
    }

    private interface Cut {
        void run(Running running) throws Exception;
    }

    /** The answers in the file, but for a last line the kill cut short. */
    private static Answers read(Path file) throws IOException {
        Answers answers = new Answers(new ArrayList<>(), new BitSet(), new BitSet(), new BitSet(), new AtomicLong());
        String text = Files.readString(file, StandardCharsets.UTF_8);
        for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "A" -> answers.plain().add(new long[] { Long.parseLong(f[1]), Long.parseLong(f[2]),
                        Long.parseLong(f[3]) });
                case "D" -> answers.durable().set(index(Long.parseLong(f[1])), index(Long.parseLong(f[2])) + 1);
                case "W", "L" -> {
                    (f[1].equals("p") ? answers.writtenPlain() : answers.writtenDurable())
                            .set(index(Long.parseLong(f[2])), index(Long.parseLong(f[3])) + 1);
                    if (f[0].equals("L")) {
                        answers.writtenByTheLiveLane().addAndGet(Long.parseLong(f[3]) - Long.parseLong(f[2]) + 1);
                    }
                }
                default -> { }
            }
        }
        return answers;
    }

    /**
     * Each run numbers its values from a multiple of {@value #RUN}; a bit set holds them folded, a run taking at
     * most {@value #FOLDED} places (far more than a run of a few seconds offers).
     */
    private static int index(long value) {
        return Math.toIntExact(value / RUN * FOLDED + value % RUN);
    }

    /**
     * Opens the journal the disk kept, as the next start does, writes its backlog, and checks what was promised.
     */
    private void verifyAfterTheCut(Answers answers, String what) throws Exception {
        Path journal = disk.root().resolve("journal");
        if (!disk.lastUndone().isEmpty()) {
            System.out.println(what + ": the cut undid renames no directory sync followed: " + disk.lastUndone());
        }
        keepForTheRecord(journal, what);
        BufferSettings settings = new BufferSettings(true, "", 64L * SEGMENT, 0, SEGMENT, SyncPolicy.PERIODIC,
                Duration.ofMillis(200), 1, OverflowPolicy.BLOCK, TimeUnit.SECONDS.toNanos(5), Duration.ofHours(1));
        JournalBuffer after = JournalBuffer.open(settings, new FileStorage(journal, SEGMENT, settings.maxBytes(), 0),
                journal, () -> null, () -> ReceivedValue.micros(Instant.now()), Clock.systemUTC());
        try {
            BufferStatus status = after.status();
            assertThat(status.uncleanStop()).as(what + ": the start reports the unclean stop").isNotNull();
            Instant lastSync = status.uncleanStop().lastSync();
            assertThat(lastSync).as(what + ": the last sync found on disk").isNotNull();
            plainStored.or(answers.writtenPlain());
            durableStored.or(answers.writtenDurable());
            writeBacklog(after.open("t", List.of()));

            BitSet missingDurable = (BitSet) answers.durable().clone();
            missingDurable.andNot(durableStored);
            assertThat(missingDurable.cardinality()).as(what + ": values answered as on disk, lost, e.g. "
                    + missingDurable.nextSetBit(0) + "; seed " + SEED).isZero();
            long syncMicros = ReceivedValue.micros(lastSync);
            long lostBeforeSync = answers.plain().stream().filter(a -> a[2] < syncMicros)
                    .filter(a -> plainStored.nextClearBit(index(a[0])) <= index(a[1]))
                    .count();
            assertThat(lostBeforeSync).as(what + ": plain offers answered before the last sync (" + lastSync
                    + ") whose values are missing; seed " + SEED).isZero();

            BufferStatus written = after.status();
            TargetBacklog t = written.targets().get("t");
            what = what + " (" + t + ", " + written.damagedBytes() + " damaged bytes)";
            assertThat(t.backlog()).as(what + ": the backlog is written down to nothing").isZero();
            assertThat(t.routed()).as(what + ": routed = written + already stored + backed up + dropped + backlog")
                    .isEqualTo(t.written() + t.alreadyStored() + t.backedUp() + t.droppedTotal() + t.backlog());
            assertThat(written.accepted()).as(what + ": every value accepted is routed to the one target")
                    .isEqualTo(t.routed());
        } finally {
            after.close();
        }
    }

    /** A copy of what the disk kept, beside the test's files, for whoever looks into a failure. */
    private void keepForTheRecord(Path journal, String what) throws IOException {
        Path copy = base.resolve("kept").resolve(what.replaceAll("[^A-Za-z0-9]+", "-"));
        Files.createDirectories(copy);
        try (var files = Files.list(journal)) {
            for (Path f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
    }

    /** Reads and settles everything the journal holds for the target, noting which values it held. */
    private void writeBacklog(TargetCursor cursor) throws InterruptedException {
        List<ReceivedValue> batch = new ArrayList<>();
        while (cursor.next(batch, 5_000, 200, TimeUnit.MILLISECONDS) > 0) {
            for (ReceivedValue v : batch) {
                long i = ((Number) v.value().value()).longValue();
                (v.value().tagName().startsWith("p.") ? plainStored : durableStored).set(index(i));
            }
            cursor.settle(batch.size(), 0, 0, true);
            batch.clear();
        }
        cursor.close();
    }

}
