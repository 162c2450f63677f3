package io.tagbridge.backup;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.tagbridge.api.pipeline.ReceivedValue;

/**
 * One target's folder of pending backup files: the file being written, and the reading of the oldest closed file
 * for replay. Guarded by its own monitor, so targets do not wait for each other.
 */
final class TargetFolder {

    /** A file no row was added to for this long is closed when its target wants to replay. */
    static final Duration IDLE_BEFORE_REPLAY = Duration.ofSeconds(2);

    final String target;
    final Path directory;
    private final Clock clock;
    private OpenFile open;
    private ReplayReader reader;

    TargetFolder(String target, Path directory, Clock clock) {
        this.target = target;
        this.directory = directory;
        this.clock = clock;
    }

    /** Appends to the open file, after closing it first when it is due to roll. */
    synchronized Path append(List<ReceivedValue> values, String reason, BackupSettings settings) throws IOException {
        if (open != null && (Duration.between(open.begun, clock.instant()).compareTo(settings.roll()) >= 0
                || open.bytes() >= settings.rollBytes())) {
            closeOpen();
        }
        if (open == null) {
            open = OpenFile.begin(directory, clock.instant());
        }
        try {
            open.append(values, reason, clock.instant());
        } catch (IOException | RuntimeException e) {
            OpenFile failed = open;
            open = null;
            failed.abandon();
            try {
                PartialFiles.seal(failed.path);
            } catch (IOException | RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        return open.path;
    }

    /** Closes the open file when it is due by time (without waiting for the next append), or {@code always}. */
    synchronized void rollIfDue(BackupSettings settings, boolean always) throws IOException {
        if (open != null && (always || Duration.between(open.begun, clock.instant()).compareTo(settings.roll()) >= 0)) {
            closeOpen();
        }
    }

    private void closeOpen() throws IOException {
        OpenFile closing = open;
        open = null;
        closing.close();
    }

    synchronized OpenFile open() {
        return open;
    }

    /** The closed pending files, oldest first. */
    List<Path> closedFiles() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(BackupNames::isClosed).sorted(Comparator.comparing(BackupNames::order)).toList();
        }
    }

    /** Files a crash left open, closed now. */
    synchronized void sealLeftovers() throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        List<Path> parts;
        try (Stream<Path> entries = Files.list(directory)) {
            parts = entries.filter(BackupNames::isOpen).toList();
        }
        for (Path part : parts) {
            if (open == null || !part.equals(open.path)) {
                PartialFiles.seal(part);
            }
        }
    }

    /**
     * The next rows to replay from {@code file}, after the first {@code from}.
     *
     * @return up to {@code max} rows; empty when the file has no more
     * @throws IllegalArgumentException for a row that is not a backup row
     */
    synchronized List<ReceivedValue> read(Path file, long from, int max) throws IOException {
        if (reader == null || !reader.file.equals(file) || reader.position != from) {
            closeReader();
            reader = new ReplayReader(file);
            reader.skip(from);
        }
        return reader.read(max);
    }

    /** Closes the open file for replay when nothing was added to it for a moment. */
    synchronized boolean closeIfIdle() throws IOException {
        if (open != null && open.idle(clock.instant()).compareTo(IDLE_BEFORE_REPLAY) >= 0) {
            closeOpen();
            return true;
        }
        return false;
    }

    synchronized boolean isReading(Path file) {
        return reader != null && reader.file.equals(file);
    }

    synchronized void closeReader() {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }

    /** Closes the open file and the reader: the gateway stops, or backups move to another directory. */
    synchronized void close() throws IOException {
        closeReader();
        if (open != null) {
            closeOpen();
        }
    }

    /** Reads a file from where its replay stands, keeping its place between chunks. */
    private static final class ReplayReader {

        final Path file;
        final Reader in;
        final CsvBackupFormat.RowReader rows;
        long position;

        ReplayReader(Path file) throws IOException {
            this.file = file;
            this.in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
            this.rows = new CsvBackupFormat.RowReader(in);
        }

        void skip(long count) {
            while (position < count && rows.next() != null) {
                position++;
            }
        }

        List<ReceivedValue> read(int max) {
            List<ReceivedValue> values = new ArrayList<>(Math.min(max, 1024));
            CsvBackupFormat.Row row;
            while (values.size() < max && (row = rows.next()) != null) {
                values.add(row.value());
            }
            position += values.size();
            return values;
        }

        void close() {
            try {
                rows.close();
                in.close();
            } catch (IOException e) {
                // A reader that fails to close holds no data of ours.
            }
        }
    }
}
