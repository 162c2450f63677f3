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
import java.nio.file.StandardOpenOption;
import java.util.List;

import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.durable.DurableFiles;

/**
 * Rows the database refused again on replay, in {@code quarantine/<target>/} under the name of the file they came
 * from, in the backup format: each group of rows after a {@code # reason:} line with the database's error. The
 * rows, and the file's name, are on disk before the replay moves past them. The latest error is also beside the
 * file ({@code .error}), for listings.
 */
final class Quarantine {

    private Quarantine() {
    }

    static void append(Path file, List<ReceivedValue> values, String reason) throws IOException {
        boolean fresh = !Files.exists(file);
        try (FileChannel channel = fresh ? DurableFiles.createNew(file)
                : FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                Writer out = new BufferedWriter(
                        new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8))) {
            if (fresh) {
                CsvBackupFormat.writeHeader(out);
            }
            CsvBackupFormat.write(out, values, reason, null);
            out.flush();
            channel.force(false);
        }
        writeError(file, reason);
    }

    /** Why the file is in quarantine, beside it. */
    static void writeError(Path file, String error) throws IOException {
        DurableFiles.replace(BackupNames.sidecar(file, BackupNames.ERROR), error.getBytes(StandardCharsets.UTF_8));
    }

    static String lastError(Path file) {
        try {
            Path error = BackupNames.sidecar(file, BackupNames.ERROR);
            return Files.exists(error) ? Files.readString(error, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
