package io.tagbridge.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a directory, held through a lock file for as long as the process wants it. The operating
 * system releases it when the process ends, however it ends, so a crash never leaves the directory locked. The
 * file also names the holder's process, for the message another process gives when it finds the lock taken.
 */
final class DirectoryLock implements AutoCloseable {

    static final String FILE = "tagbridge.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock.
     *
     * @throws InUseException when another process (or another holder in this one) has it
     * @throws IOException    when the lock file cannot be created or written
     */
    static DirectoryLock take(Path directory) throws IOException, InUseException {
        Path file = directory.resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            FileLock lock = tryLock(channel);
            if (lock == null) {
                throw new InUseException(directory, holder(file));
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
                    0);
            channel.force(true);
            return new DirectoryLock(channel, lock);
        } catch (IOException | InUseException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldInThisProcess) {
            return null;
        }
    }

    /** The process named in the lock file, or "unknown" when it cannot be read. */
    private static String holder(Path file) {
        try {
            String pid = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return pid.isEmpty() ? "unknown" : pid;
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }

    /** Another process holds the directory. */
    static final class InUseException extends Exception {

        private static final long serialVersionUID = 1L;

        InUseException(Path directory, String pid) {
            super("the data directory " + directory + " is in use by another Tagbridge process (pid " + pid
                    + "): only one gateway may use a data directory at a time. Stop that gateway first, or start "
                    + "this one with its own directory (java -D" + io.tagbridge.api.pipeline.DataDirectory.PROPERTY
                    + "=<directory> -jar tagbridge.jar). To check the connection or measure the pipeline next to a "
                    + "running gateway, use tagbridge:testconnection or tagbridge:load in its console");
        }
    }
}
