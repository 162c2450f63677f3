package io.tagbridge.backup;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.tagbridge.durable.DurableFiles;

/**
 * Files a crash left open ({@code .part}): their rows were synced before the writer was told they were saved, so
 * they are kept, up to the last whole line; a line cut off by the crash was never confirmed and is cut away.
 */
final class PartialFiles {

    private PartialFiles() {
    }

    /**
     * Closes a file left open.
     *
     * @return the closed file, or null when it held no rows and was deleted
     */
    static Path seal(Path part) throws IOException {
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            channel.truncate(lastLineEnd(channel));
            channel.force(true);
        }
        if (countRows(part) == 0) {
            DurableFiles.delete(part);
            return null;
        }
        Path closed = BackupNames.closed(part);
        DurableFiles.move(part, closed);
        return closed;
    }

    /** The rows of a backup file. */
    static long countRows(Path file) throws IOException {
        long rows = 0;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CsvBackupFormat.RowReader reader = new CsvBackupFormat.RowReader(in)) {
            while (reader.next() != null) {
                rows++;
            }
        }
        return rows;
    }

    private static long lastLineEnd(FileChannel channel) throws IOException {
        ByteBuffer block = ByteBuffer.allocate(8192);
        long end = channel.size();
        while (end > 0) {
            long start = Math.max(0, end - block.capacity());
            block.clear().limit((int) (end - start));
            channel.read(block, start);
            for (int i = block.position() - 1; i >= 0; i--) {
                if (block.get(i) == '\n') {
                    return start + i + 1;
                }
            }
            end = start;
        }
        return 0;
    }
}
