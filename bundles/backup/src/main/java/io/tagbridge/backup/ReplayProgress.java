package io.tagbridge.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * How many rows of a file are in the database, beside the file ({@code .replayed}). It is written after each
 * chunk's commit and not synced: should a crash take the last count, those rows are replayed again and found
 * stored, which duplicate-safe writes make harmless.
 */
final class ReplayProgress {

    private ReplayProgress() {
    }

    static long read(Path file) throws IOException {
        Path progress = BackupNames.sidecar(file, BackupNames.PROGRESS);
        if (!Files.exists(progress)) {
            return 0;
        }
        try {
            return Long.parseLong(Files.readString(progress).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static void write(Path file, long rows) throws IOException {
        Path progress = BackupNames.sidecar(file, BackupNames.PROGRESS);
        Path temp = progress.resolveSibling(progress.getFileName() + ".tmp");
        Files.writeString(temp, Long.toString(rows));
        Files.move(temp, progress, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
