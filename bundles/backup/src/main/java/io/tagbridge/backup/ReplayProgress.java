package io.tagbridge.backup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

import io.tagbridge.durable.DurableFiles;

/**
 * How many rows of a file are in the database, beside the file ({@code .replayed}), so that a restart goes on
 * from there. After each chunk's commit a line with the new count and its checksum is appended and forced to
 * disk: one small write and one sync, where replacing the file would cost two syncs and a rename per chunk. Now
 * and then the file is replaced by its last line, so it stays small.
 *
 * <p>Reading takes the last whole line whose checksum fits: a line a crash or a power cut tore, NUL bytes, or an
 * emptied file give the count before, or 0, never more rows than the database holds. Rows counted too few are
 * replayed again and found stored, which duplicate-safe writes make harmless. Files of 0.2.0 and before hold the
 * count alone, with no checksum and no line end; they are read too.
 */
final class ReplayProgress {

    /** Replaced by its last line beyond this size: about 200 chunks. */
    static final int COMPACT_BYTES = 4096;

    private ReplayProgress() {
    }

    /** The rows of the file known to be in the database; 0 when nothing says so. */
    static long read(Path file) {
        String text;
        try {
            text = new String(Files.readAllBytes(BackupNames.sidecar(file, BackupNames.PROGRESS)),
                    StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return 0;
        }
        // The last element is what follows the last line end: a torn line, or nothing.
        String[] lines = text.split("\n", -1);
        long last = -1;
        for (int i = 0; i < lines.length - 1; i++) {
            long rows = parse(lines[i]);
            last = rows >= 0 ? rows : last;
        }
        if (last >= 0) {
            return last;
        }
        return lines.length == 1 && isCount(text) ? Long.parseLong(text) : 0;
    }

    static void write(Path file, long rows) throws IOException {
        Path progress = BackupNames.sidecar(file, BackupNames.PROGRESS);
        byte[] line = line(rows);
        if (!Files.exists(progress)) {
            try (FileChannel channel = DurableFiles.createNew(progress)) {
                append(channel, line);
            }
            return;
        }
        if (Files.size(progress) >= COMPACT_BYTES) {
            DurableFiles.replace(progress, line);
            return;
        }
        try (FileChannel channel = FileChannel.open(progress, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            append(channel, line);
        }
    }

    /** Appends after a torn last line on a line of its own, so that the torn one does not spoil it. */
    private static void append(FileChannel channel, byte[] line) throws IOException {
        long end = channel.size();
        ByteBuffer last = ByteBuffer.allocate(1);
        boolean torn = end > 0 && channel.read(last, end - 1) == 1 && last.get(0) != '\n';
        ByteBuffer out = ByteBuffer.allocate(line.length + 1);
        if (torn) {
            out.put((byte) '\n');
        }
        out.put(line).flip();
        while (out.hasRemaining()) {
            channel.write(out, end + out.position());
        }
        channel.force(false);
    }

    private static byte[] line(long rows) {
        String count = Long.toString(rows);
        return (count + " " + checksum(count) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The count on a line, or -1 when the line is not one this class wrote whole. */
    private static long parse(String line) {
        int space = line.indexOf(' ');
        String count = space < 0 ? "" : line.substring(0, space);
        return isCount(count) && line.substring(space + 1).equals(checksum(count)) ? Long.parseLong(count) : -1;
    }

    private static boolean isCount(String text) {
        return !text.isEmpty() && text.length() <= 18 && text.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static String checksum(String count) {
        CRC32 crc = new CRC32();
        crc.update(count.getBytes(StandardCharsets.US_ASCII));
        return Long.toHexString(crc.getValue());
    }
}
