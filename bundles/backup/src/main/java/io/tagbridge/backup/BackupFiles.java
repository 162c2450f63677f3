package io.tagbridge.backup;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
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
import java.util.List;

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

    private Path freeName(String base) {
        Path candidate = directory.resolve(base + ".csv");
        for (int n = 2; Files.exists(candidate); n++) {
            candidate = directory.resolve(base + "_" + n + ".csv");
        }
        return candidate;
    }
}
