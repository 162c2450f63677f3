package io.tagbridge.writer;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.BackupException;
import io.tagbridge.api.pipeline.BatchBackup;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.TargetCursor;
import io.tagbridge.api.pipeline.WriteRecorder;
import io.tagbridge.api.pipeline.Diagnosis;
import io.tagbridge.api.pipeline.TargetState;
import io.tagbridge.api.sink.OutageMode;
import io.tagbridge.sink.jdbc.JdbcSink;
import io.tagbridge.sink.jdbc.WriteMode;

/** Test doubles with real behaviour: an H2 database that can be switched off, a queue, a backup list. */
final class Fixtures {

    private Fixtures() {
    }

    static final Instant RECEIVED = Instant.parse("2026-01-01T00:00:05Z");

    static List<ReceivedValue> values(int from, int to) {
        return IntStream.range(from, to)
                .mapToObj(i -> received(TagValue.of("tag" + i, Instant.parse("2026-01-01T00:00:00Z").plusMillis(i),
                        (long) i, Quality.GOOD)))
                .toList();
    }

    static ReceivedValue received(TagValue value) {
        return new ReceivedValue(value, ReceivedValue.micros(RECEIVED));
    }

    static TargetSettings settings(int batchSize, Duration interval, int retries, Duration retryDelay) {
        return new TargetSettings("test", batchSize, interval, retries, retryDelay, Duration.ofSeconds(30),
                Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(5), List.of(), OutageMode.BACKUP,
                5000, batchSize, 1, TargetSettings.LiveFirst.OFF);
    }

    /** The real JDBC sink into the table TAG_VALUES, created when missing, writing INSERT_FIRST. */
    static JdbcSink sink(DataSource db) {
        return JdbcSink.of(db, "TAG_VALUES", true, WriteMode.INSERT_FIRST);
    }

    /**
     * A target's cursor over an in-memory list, standing in for the buffer bundle: values are taken, settled or
     * rewound as the real one does, and what was settled how is recorded.
     */
    static final class ListCursor implements TargetCursor {
        final List<ReceivedValue> values = new ArrayList<>();
        final List<String> settlements = new CopyOnWriteArrayList<>();
        final boolean persistent;
        int settled;
        int read;
        int durableUpTo;
        private int handedOut;
        private boolean repeating;
        private boolean woken;

        ListCursor(boolean persistent) {
            this.persistent = persistent;
        }

        synchronized void offer(List<ReceivedValue> more) {
            values.addAll(more);
            notifyAll();
        }

        synchronized List<ReceivedValue> unsettled() {
            return List.copyOf(values.subList(settled, values.size()));
        }

        public String target() { return "test"; }
        public boolean persistent() { return persistent; }

        public synchronized int next(Collection<? super ReceivedValue> sink, int max, long timeout, TimeUnit unit)
                throws InterruptedException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            while (values.size() - read < max && deadline - System.nanoTime() > 0 && !woken) {
                wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
            woken = false;
            int n = Math.min(max, values.size() - read);
            repeating = read < handedOut;
            sink.addAll(values.subList(read, read + n));
            read += n;
            handedOut = Math.max(handedOut, read);
            return n;
        }

        public synchronized void settle(int written, int alreadyStored, int backedUp, boolean durable) {
            settled += written + alreadyStored + backedUp;
            settlements.add(written + "/" + alreadyStored + "/" + backedUp + (durable ? " durable" : ""));
            if (durable) {
                durableUpTo = settled;
            }
        }

        public synchronized void durable() { durableUpTo = settled; }
        public synchronized void rewind() { read = settled; }
        public synchronized void wake() { woken = true; notifyAll(); }
        public synchronized void close() { read = settled; }
        public synchronized boolean repeating() { return repeating; }
    }

    /** Keeps backed-up batches in memory; can be made to fail like a full disk. */
    static final class ListBackup implements BatchBackup {
        final List<List<ReceivedValue>> batches = new CopyOnWriteArrayList<>();
        final List<String> reasons = new CopyOnWriteArrayList<>();
        final AtomicBoolean full = new AtomicBoolean();

        public Path save(String target, List<ReceivedValue> values, String reason) throws BackupException {
            if (full.get()) {
                throw new BackupException("No space left on device", null);
            }
            batches.add(List.copyOf(values));
            reasons.add(reason);
            return Path.of("backup_" + batches.size() + ".csv");
        }

        public Path directory() {
            return Path.of(".");
        }

        public io.tagbridge.api.pipeline.BackupStatus status() {
            return null;
        }

        public List<io.tagbridge.api.pipeline.BackupFile> files() {
            return List.of();
        }

        public List<ReceivedValue> read(Path file) {
            return List.of();
        }

        List<ReceivedValue> all() {
            List<ReceivedValue> all = new ArrayList<>();
            batches.forEach(all::addAll);
            return all;
        }
    }

    /** Records what a writer reports. */
    static final class Events implements WriteRecorder {
        final List<Integer> written = new CopyOnWriteArrayList<>();
        final List<Integer> alreadyStored = new CopyOnWriteArrayList<>();
        final List<String> failed = new CopyOnWriteArrayList<>();
        final List<TargetState> states = new CopyOnWriteArrayList<>();
        final List<Diagnosis> diagnoses = new CopyOnWriteArrayList<>();

        public void written(String target, List<ReceivedValue> values, int stored, long latencyNanos) {
            written.add(values.size());
            alreadyStored.add(stored);
        }

        public void failed(String target, int values, long latencyNanos, Diagnosis why) {
            failed.add(why.error() + ": " + why.advice());
        }

        public void state(String target, TargetState state, Diagnosis why) {
            states.add(state);
            diagnoses.add(why);
        }
    }
}
