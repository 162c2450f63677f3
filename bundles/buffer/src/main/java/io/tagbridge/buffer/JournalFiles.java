package io.tagbridge.buffer;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import io.tagbridge.buffer.journal.FileStorage;

/** What a journal directory holds, looked at without opening the journal. */
final class JournalFiles {

    private JournalFiles() {
    }

    /**
     * Whether the journal in {@code directory} may still hold values a configured target has not settled: its
     * ledger says so, or it has segments but no readable ledger. Targets whose configuration was deleted do not
     * count: their values stay in the journal until they are released.
     */
    static boolean holdsBacklog(Path directory) {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        Ledger ledger = Ledger.load(directory);
        if (ledger != null) {
            return ledger.targets().stream().anyMatch(t -> t.deletedAtMillis() < 0 && t.seq() < ledger.headSeq());
        }
        return segments(directory) > 0;
    }

    private static int segments(Path directory) {
        int n = 0;
        try (DirectoryStream<Path> found = Files.newDirectoryStream(directory, FileStorage.PREFIX + "*"
                + FileStorage.SUFFIX)) {
            for (Path ignored : found) {
                n++;
            }
        } catch (IOException e) {
            return 0;
        }
        return n;
    }

    /** When a file was last written; null when that cannot be read. */
    static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return null;
        }
    }
}
