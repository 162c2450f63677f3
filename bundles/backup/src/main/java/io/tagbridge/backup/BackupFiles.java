package io.tagbridge.backup;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.tagbridge.api.pipeline.ReceivedValue;

/**
 * Writes one backup file per batch so that a crash never leaves a file that looks complete but is not:
 * the rows go to a hidden temporary file, which is synced to disk and then renamed into place atomically.
 * Two batches in the same second get distinct names ({@code _2}, {@code _3} ...), never overwrite.
 */
final class BackupFiles {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss")
            .withZone(ZoneOffset.UTC);

    private final Path directory;
    private final Clock clock;

    BackupFiles(Path directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    Path directory() {
        return directory;
    }

    /** Synchronized so that choosing a free name and renaming onto it cannot race within the gateway. */
    synchronized Path write(List<ReceivedValue> values, String reason) throws IOException {
        Files.createDirectories(directory);
        String base = "backup_" + STAMP.format(clock.instant());
        Path temp = directory.resolve("." + base + ".csv.tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                    Writer writer = new BufferedWriter(
                            new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8))) {
                CsvBackupFormat.write(writer, values, reason);
                writer.flush();
                channel.force(true);
            }
            Path target = freeName(base);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The complete backup files, oldest first: names start with their UTC second, and _n counts up within it. */
    List<Path> list() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(BackupFiles::isBackup).sorted(Comparator.comparing(BackupFiles::order)).toList();
        }
    }

    static List<ReceivedValue> read(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return CsvBackupFormat.read(reader);
        }
    }

    private static boolean isBackup(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith("backup_") && name.endsWith(".csv") && Files.isRegularFile(file);
    }

    /** backup_20260101_120000.csv before backup_20260101_120000_2.csv before ..._10.csv. */
    private static String order(Path file) {
        String name = file.getFileName().toString();
        String stem = name.substring("backup_".length(), name.length() - ".csv".length());
        int underscore = stem.indexOf('_', "yyyyMMdd_".length());
        int n = underscore < 0 ? 1 : Integer.parseInt(stem.substring(underscore + 1));
        String second = underscore < 0 ? stem : stem.substring(0, underscore);
        return second + String.format("%010d", n);
    }

    private Path freeName(String base) {
        Path candidate = directory.resolve(base + ".csv");
        for (int n = 2; Files.exists(candidate); n++) {
            candidate = directory.resolve(base + "_" + n + ".csv");
        }
        return candidate;
    }
}
