package io.tagbridge.commands;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

import io.tagbridge.api.IngestResult;
import io.tagbridge.api.Quality;
import io.tagbridge.api.TagIngest;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.monitor.HealthStatus;
import io.tagbridge.api.monitor.PipelineMonitor;
import io.tagbridge.api.pipeline.BackupException;
import io.tagbridge.api.pipeline.BackupFile;
import io.tagbridge.api.pipeline.BatchBackup;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.TagBuffer;
import io.tagbridge.api.pipeline.TagStore;
import io.tagbridge.api.pipeline.WriteRecorder;

/**
 * {@code load}: offers numbered values through the real ingest service at a set rate, follows them through the
 * writers, then reads the tables and the backup files back to prove that each accepted value was stored exactly
 * once. Tag names carry a prefix unique to the run, so values of earlier runs or of real drivers do not count.
 */
final class LoadCommand {

    /** Values per offer at full speed: the writer's default batch. */
    private static final int MAX_LIST = 500;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final Duration SERVICE_WAIT = Duration.ofSeconds(30);
    private static final Duration PREFLIGHT_TIMEOUT = Duration.ofSeconds(10);
    /** The ledger numbers values with an int; a run stops offering when it has used them all. */
    private static final long MAX_VALUES = Integer.MAX_VALUE - MAX_LIST;
    /**
     * With {@code --rate max}, at most this many values are offered and not yet written: the journal would take
     * values many times faster than a database writes them, and the test measures the pipeline, not the journal's
     * size. It is the journal-off buffer's capacity, so both measure the same.
     */
    static final long MAX_IN_FLIGHT = 100_000;
    /** A database outage costs a batch 1 + 2 + 4 s of retries before its backup; allow for several of them. */
    private static final Duration SETTLE_WAIT = Duration.ofSeconds(120);
    /** How long a healthy, empty pipeline may settle nothing before the missing values count as lost. */
    private static final Duration QUIET = Duration.ofSeconds(3);

    private final Services services;
    private final PrintStream progress;

    LoadCommand(Services services, PrintStream progress) {
        this.services = services;
        this.progress = progress;
    }

    /** The one target measured, or null for all. */
    private String target;

    LoadReport run(LoadOptions options) throws InterruptedException, CommandException {
        target = options.target();
        TagIngest ingest = required(TagIngest.class, "the buffer is not running, so nothing can be offered: check "
                + "the log for the buffer's configuration (io.tagbridge.buffer)");
        required(TagStore.class, "no writer is running, so nothing would be written: run test-connection to see "
                + "why");
        preflight();
        BatchBackup backup = required(BatchBackup.class, "the backup service is not running: check the log for "
                + "io.tagbridge.backup");
        String prefix = "load." + Long.toString(System.currentTimeMillis(), 36) + ".";
        LoadRecorder recorder = new LoadRecorder(prefix, options.target());
        try (SimulatorPause pause = new SimulatorPause(
                services.await(ServiceComponentRuntime.class, Duration.ofSeconds(1)))) {
            if (pause.pausedAny()) {
                progress.println("The simulator is paused while the load test runs.");
            }
            ServiceRegistration<WriteRecorder> registration = services.context().registerService(WriteRecorder.class,
                    recorder, null);
            try {
                return drive(options, prefix, ingest, backup, recorder);
            } finally {
                registration.unregister();
            }
        }
    }

    private LoadReport drive(LoadOptions options, String prefix, TagIngest ingest, BatchBackup backup,
            LoadRecorder recorder) throws InterruptedException, CommandException {
        Generator generator = new Generator(prefix, options.tags());
        ValueLedger ledger = new ValueLedger();
        HeapWatch heap = new HeapWatch();
        long startMillis = System.currentTimeMillis();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(options.durationSeconds());
        long refused = 0;
        String refusalReason = "";
        long nextReport = start + TimeUnit.SECONDS.toNanos(1);
        long seq = 0;
        progress.printf(Locale.ROOT, "Offering %s for %d s over %d tags...%n", options.rateText(),
                options.durationSeconds(), options.tags());
        long total = options.rate() == 0 ? MAX_VALUES
                : Math.min(MAX_VALUES, (long) options.rate() * options.durationSeconds());
        for (long now = start; seq < total; now = System.nanoTime()) {
            heap.sample();
            if (now >= nextReport) {
                progress(now - start, seq, recorder);
                nextReport += TimeUnit.SECONDS.toNanos(1);
            }
            if (options.rate() == 0 && now >= end) {
                break;
            }
            if (options.rate() == 0 && ledger.accepted() - recorder.settled() > MAX_IN_FLIGHT) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                continue;
            }
            long due = options.rate() == 0 ? seq + MAX_LIST
                    : now >= end ? total : Math.min(total, (now - start) * options.rate() / 1_000_000_000L);
            while (seq < due) {
                int count = (int) Math.min(MAX_LIST, due - seq);
                IngestResult result = ingest.offer(generator.values(seq, count));
                if (result.allAccepted()) {
                    ledger.accepted(seq, count);
                } else {
                    refused += count;
                    refusalReason = result.reason();
                    if (options.rate() == 0) {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                    }
                }
                seq += count;
            }
            if (options.rate() != 0 && seq < total) {
                LockSupport.parkNanos(TICK_NANOS - (System.nanoTime() - start) % TICK_NANOS);
            }
        }
        long offered = seq;
        long pending = settle(ledger.accepted(), recorder, heap);
        progress.println("Verifying: reading the test's values back from the database and the backup files...");
        Map<String, Long> tables = readTables(prefix, ledger);
        long backupFound = readBackups(backup, prefix, ledger, startMillis);
        long last = recorder.lastCommitNanos == 0 ? System.nanoTime() : recorder.lastCommitNanos;
        double seconds = Math.max(1e-3, (last - start) / 1e9);
        return new LoadReport(options, prefix, offered, ledger.accepted(), refused, refusalReason,
                recorder.written.get(), recorder.backedUp.get(), recorder.written.get() / seconds,
                recorder.batches.get(), recorder.writeLatency.averageMillis(),
                recorder.writeLatency.percentileMillis(50), recorder.writeLatency.percentileMillis(95),
                recorder.writeLatency.percentileMillis(99), recorder.sourceToCommit.percentileMillis(50),
                recorder.sourceToCommit.percentileMillis(99), recorder.successRatePercent(),
                List.copyOf(tables.keySet()), tables.values().stream().mapToLong(Long::longValue).sum(), backupFound,
                pending, ledger.unaccounted(), ledger.duplicates(), ledger.unexpected(), heap.peakMb(), heap.maxMb(),
                heap.gcCount(), heap.gcMillis());
    }

    /**
     * Waits until every accepted value was written or backed up, for as long as values keep settling: a backlog
     * after an outage may take minutes. Gives up when nothing settled for {@link #SETTLE_WAIT}, or early when
     * nothing is left to wait for: the buffer is empty, health is UP (no writer retrying a batch) and nothing
     * settled for a while. Returns how many values are still buffered.
     */
    private long settle(long accepted, LoadRecorder recorder, HeapWatch heap) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_WAIT.toNanos();
        long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        long lastSettled = -1;
        long quietSince = System.nanoTime();
        while (recorder.settled() < accepted && System.nanoTime() < deadline) {
            Thread.sleep(20);
            heap.sample();
            long settled = recorder.settled();
            if (settled != lastSettled) {
                deadline = System.nanoTime() + SETTLE_WAIT.toNanos();
            }
            if (settled != lastSettled || !idle()) {
                lastSettled = settled;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > QUIET.toNanos()) {
                break;
            }
            if (System.nanoTime() >= nextReport) {
                progress.printf(Locale.ROOT, "  waiting for %,d values still on their way%n", accepted - settled);
                nextReport += TimeUnit.SECONDS.toNanos(1);
            }
        }
        return recorder.settled() >= accepted ? 0 : bufferDepth();
    }

    private boolean idle() {
        PipelineMonitor monitor = services.all(PipelineMonitor.class).stream().findFirst().orElse(null);
        return bufferDepth() == 0 && monitor != null && monitor.health().status() == HealthStatus.UP;
    }

    /** Values the measured targets have not settled yet. */
    private long bufferDepth() {
        return services.all(TagBuffer.class).stream().flatMap(b -> b.status().targets().entrySet().stream())
                .filter(e -> target == null ? e.getValue().deletedAt() == null : e.getKey().equals(target))
                .mapToLong(e -> e.getValue().backlog()).sum();
    }

    private void progress(long elapsedNanos, long offered, LoadRecorder recorder) {
        double seconds = elapsedNanos / 1e9;
        progress.printf(Locale.ROOT, "  %3.0f s  offered %,d (%,.0f/s)  buffer %,d  written %,d  backed up %,d%n",
                seconds, offered, offered / seconds, bufferDepth(), recorder.written.get(), recorder.backedUp.get());
    }

    /** Reads each table once, even when several writers share it. */
    private Map<String, Long> readTables(String prefix, ValueLedger ledger) throws CommandException {
        Map<String, Long> rows = new LinkedHashMap<>();
        for (TagStore store : services.all(TagStore.class)) {
            if (rows.containsKey(store.table()) || target != null && !target.equals(store.writerName())) {
                continue;
            }
            try {
                rows.put(store.table(), store.read(prefix, v -> ledger.found(sequence(v))));
            } catch (SQLException e) {
                throw new CommandException("could not read table " + store.table() + " back to verify the run: "
                        + e.getMessage() + ". Run test-connection to check the database");
            }
        }
        return rows;
    }

    private long readBackups(BatchBackup backup, String prefix, ValueLedger ledger, long startMillis)
            throws CommandException {
        long found = 0;
        try {
            for (BackupFile file : backup.files()) {
                if (Files.getLastModifiedTime(file.path()).toMillis() < startMillis - 2000) {
                    continue;
                }
                for (ReceivedValue value : backup.read(file.path())) {
                    if (value.value().tagName().startsWith(prefix)) {
                        ledger.foundInBackup(sequence(value.value()));
                        found++;
                    }
                }
            }
        } catch (BackupException | IOException e) {
            throw new CommandException("could not read the backup files back to verify the run: " + e.getMessage());
        }
        return found;
    }

    /** The load test stores each value's sequence number as its value. */
    private static long sequence(TagValue value) {
        return value.value() instanceof Number n ? new BigDecimal(n.toString()).longValue() : -1;
    }

    /**
     * Checks each writer's database before the clock starts, as test-connection does: a run against a database
     * that cannot take rows would only measure the backup. The check also opens a connection and prepares the
     * table, so the first measured values do not wait for that. A failed check is reported and the run goes on:
     * measuring the backup path can be the point.
     */
    private void preflight() {
        for (TagStore store : services.all(TagStore.class)) {
            store.check(PREFLIGHT_TIMEOUT).failure().ifPresentOrElse(
                    failed -> progress.println("WARNING: writer " + store.writerName() + " cannot write ("
                            + failed.name() + "): " + failed.detail()
                            + ". Values will go to backup files; run test-connection for details."),
                    () -> progress.println("Writer " + store.writerName() + " can write to " + store.table() + "."));
        }
    }

    private <T> T required(Class<T> type, String missing) throws InterruptedException, CommandException {
        T service = services.await(type, SERVICE_WAIT);
        if (service == null) {
            throw new CommandException(missing);
        }
        return service;
    }

    /** Numbered values spread over the tags; source times strictly increase, so no two values share a key. */
    private static final class Generator {
        private final String[] tags;
        private long lastMicros;

        Generator(String prefix, int tagCount) {
            tags = new String[tagCount];
            for (int i = 0; i < tagCount; i++) {
                tags[i] = prefix + i;
            }
        }

        List<TagValue> values(long first, int count) {
            List<TagValue> values = new ArrayList<>(count);
            long now = ReceivedValue.micros(Instant.now());
            for (long seq = first; seq < first + count; seq++) {
                lastMicros = Math.max(now, lastMicros + 1);
                Instant source = Instant.ofEpochSecond(Math.floorDiv(lastMicros, 1_000_000L),
                        Math.floorMod(lastMicros, 1_000_000L) * 1000L);
                values.add(TagValue.of(tags[(int) (seq % tags.length)], source, seq, Quality.GOOD));
            }
            return values;
        }
    }

    /** Heap in use, sampled as the test runs, and the collections since it started. */
    private static final class HeapWatch {
        private final long gcCountAtStart = gcCount(ManagementFactory.getGarbageCollectorMXBeans());
        private final long gcMillisAtStart = gcMillis(ManagementFactory.getGarbageCollectorMXBeans());
        private long peak;

        void sample() {
            peak = Math.max(peak, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }

        double peakMb() {
            return peak / 1048576.0;
        }

        double maxMb() {
            return Runtime.getRuntime().maxMemory() / 1048576.0;
        }

        long gcCount() {
            return gcCount(ManagementFactory.getGarbageCollectorMXBeans()) - gcCountAtStart;
        }

        long gcMillis() {
            return gcMillis(ManagementFactory.getGarbageCollectorMXBeans()) - gcMillisAtStart;
        }

        private static long gcCount(List<GarbageCollectorMXBean> beans) {
            return beans.stream().mapToLong(b -> Math.max(0, b.getCollectionCount())).sum();
        }

        private static long gcMillis(List<GarbageCollectorMXBean> beans) {
            return beans.stream().mapToLong(b -> Math.max(0, b.getCollectionTime())).sum();
        }
    }
}
