package io.tagbridge.backup;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.durable.DurableFiles;

/**
 * A target's backup file while it is being written: {@code .part} until it is closed. The file's name is on disk
 * from its creation, and each append is synced to disk before it returns, so that the values can leave the
 * journal; an append that fails is cut off again, so the file never holds part of a batch that the caller was told
 * failed. Closing renames it durably: a power cut finds it under one name or the other, whole.
 */
final class OpenFile {

    final Path path;
    final Instant begun;
    private final FileChannel channel;
    private final Writer writer;
    private String lastReason;
    private long rows;
    private Instant lastAppend;

    private OpenFile(Path path, Instant begun, FileChannel channel) {
        this.path = path;
        this.begun = begun;
        this.channel = channel;
        this.writer = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel),
                StandardCharsets.UTF_8), 1 << 16);
    }

    static OpenFile begin(Path directory, Instant now) throws IOException {
        Path path = BackupNames.free(directory, now);
        FileChannel channel = DurableFiles.createNew(path);
        OpenFile file = new OpenFile(path, now, channel);
        try {
            CsvBackupFormat.writeHeader(file.writer);
            file.writer.flush();
        } catch (IOException e) {
            file.abandon();
            throw e;
        }
        return file;
    }

    /**
     * Appends the rows and syncs them to disk.
     *
     * @throws IOException when they could not be written; the file is left as it was before, and should be closed
     */
    void append(List<ReceivedValue> values, String reason, Instant now) throws IOException {
        long before = channel.size();
        try {
            CsvBackupFormat.write(writer, values, reason, lastReason);
            writer.flush();
            channel.force(false);
        } catch (IOException | RuntimeException e) {
            try {
                channel.truncate(before);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        lastReason = reason;
        rows += values.size();
        lastAppend = now;
    }

    long rows() {
        return rows;
    }

    long bytes() throws IOException {
        return channel.size();
    }

    /** How long nothing was added, by the folder's clock (since it was begun, if nothing ever was). */
    Duration idle(Instant now) {
        return Duration.between(lastAppend == null ? begun : lastAppend, now);
    }

    /**
     * Closes the file under its final name, or deletes it when it has no rows.
     *
     * @return the closed file, or null when it was deleted
     */
    Path close() throws IOException {
        try {
            writer.flush();
            channel.force(true);
        } finally {
            channel.close();
        }
        if (rows == 0) {
            DurableFiles.delete(path);
            return null;
        }
        Path closed = BackupNames.closed(path);
        DurableFiles.move(path, closed);
        return closed;
    }

    /** After a failure that leaves the file in doubt: closes it; it is sealed at the next start. */
    void abandon() {
        try {
            channel.close();
        } catch (IOException e) {
            // Sealing at the next start copes with whatever the file holds.
        }
    }
}
