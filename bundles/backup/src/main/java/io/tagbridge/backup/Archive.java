package io.tagbridge.backup;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.durable.DurableFiles;

/**
 * Values that expired, kept for the record in {@code archive/<target>/}: the backup format, gzip-compressed, one
 * file per expiry, written whole and synced to disk before the values leave where they were. Never replayed.
 */
final class Archive {

    static final String SUFFIX = ".csv.gz";

    private Archive() {
    }

    /** Writes the values to a new file in {@code directory}, named by {@code now}; returns it. */
    static Path write(Path directory, Instant now, List<ReceivedValue> values, String reason) throws IOException {
        DurableFiles.createDirectories(directory);
        Path file = free(directory, now);
        try (FileChannel channel = DurableFiles.createNew(file)) {
            GZIPOutputStream zip = new GZIPOutputStream(Channels.newOutputStream(channel));
            Writer out = new BufferedWriter(new OutputStreamWriter(zip, StandardCharsets.UTF_8));
            CsvBackupFormat.write(out, values, reason);
            out.flush();
            zip.finish();
            zip.flush();
            channel.force(false);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file); // the values stay where they were: a part of them must not be archived too
            throw e;
        }
        return file;
    }

    /** The archive files under {@code directory}, in its targets' folders. */
    static int count(Path directory) {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (Stream<Path> entries = Files.walk(directory, 2)) {
            return (int) entries.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).count();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    private static Path free(Path directory, Instant now) {
        String base = BackupNames.free(directory, now).getFileName().toString().replace(BackupNames.OPEN, "")
                .replace(BackupNames.PREFIX, "archive_");
        Path file = directory.resolve(base + SUFFIX);
        for (int n = 2; Files.exists(file); n++) {
            file = directory.resolve(base + "_" + n + SUFFIX);
        }
        return file;
    }
}
