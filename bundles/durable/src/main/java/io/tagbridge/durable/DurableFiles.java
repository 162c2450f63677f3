package io.tagbridge.durable;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Files that must be what they were last written as after a power cut. Returning from a write is not enough: the
 * operating system keeps the bytes in memory for seconds, and a rename, a new file or a deletion is a change of
 * its directory, which is on disk only once that directory is synced. Without both, a power cut leaves a file that
 * was replaced by a rename empty, or without the rename, or gone (seen on LazyFS, 8 s after a start). Every method
 * here returns only once what it did is on disk, and fails with a message that names the file and what to do.
 *
 * <p>A file is replaced by writing it beside the old one under a hidden temporary name ending in {@code .tmp},
 * which neither FileInstall nor ConfigAdmin's file store reads; a power cut during the write can leave such a file
 * behind, never a half-written one in place of the old.
 */
public final class DurableFiles {

    /** Writes what goes into a file, to a stream that {@link DurableFiles} buffers, forces and closes. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private static final String TEMPORARY_SUFFIX = ".tmp";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    /** Windows cannot open a directory as a file to sync it; NTFS journals its directories itself. */
    private static final boolean DIRECTORIES_SYNC = !System.getProperty("os.name", "").startsWith("Windows");

    private DurableFiles() {
    }

    /** Replaces the file whole with these bytes; a power cut leaves the old content or the new, never less. */
    public static void replace(Path file, byte[] content) throws IOException {
        replace(file, out -> out.write(content));
    }

    /**
     * Replaces the file whole with what {@code content} writes; a power cut leaves the old content or the new.
     * A file that exists keeps its permissions; a new one gets the usual ones. Missing directories are created.
     */
    public static void replace(Path file, Content content) throws IOException {
        write(file.toAbsolutePath(), content, false);
    }

    /**
     * As {@link #replace(Path, byte[])}, for a file only the gateway's user may read (a key, a password's hash):
     * {@code rw-------} from its first byte, where the file system has POSIX permissions.
     */
    public static void replaceOwnerOnly(Path file, byte[] content) throws IOException {
        write(file.toAbsolutePath(), out -> out.write(content), true);
    }

    /**
     * Creates a new file and syncs its directory, so that the file is still there after a power cut; what is
     * written into it is on disk once the caller forces the channel. Missing directories are created.
     *
     * @param options further options, such as {@link java.nio.file.StandardOpenOption#READ}
     * @throws FileAlreadyExistsException when the file exists
     */
    public static FileChannel createNew(Path file, OpenOption... options) throws IOException {
        Path target = file.toAbsolutePath();
        createDirectories(target.getParent());
        Set<OpenOption> all = new HashSet<>(List.of(CREATE_NEW, WRITE));
        all.addAll(List.of(options));
        FileChannel channel;
        try {
            channel = FileChannel.open(target, all);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException e) {
            throw failure("create", target, e);
        }
        try {
            syncDirectory(target.getParent());
        } catch (IOException e) {
            channel.close();
            discard(target, e);
            throw e;
        }
        return channel;
    }

    /** Forces a file's bytes to disk, for a file written by other means before it is moved into place. */
    public static void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, WRITE)) {
            channel.force(true);
        } catch (IOException e) {
            throw failure("write", file.toAbsolutePath(), e);
        }
    }

    /**
     * Moves a file in one step (a rename), replacing a file of that name, and syncs both directories, so that a
     * power cut leaves it in one place, whole. The target's directory is created if missing.
     */
    public static void move(Path source, Path target) throws IOException {
        Path from = source.toAbsolutePath();
        Path to = target.toAbsolutePath();
        createDirectories(to.getParent());
        try {
            Files.move(from, to, ATOMIC_MOVE);
        } catch (IOException e) {
            throw failure("move " + from + " to", to, e);
        }
        syncDirectory(to.getParent());
        if (!from.getParent().equals(to.getParent())) {
            syncDirectory(from.getParent());
        }
    }

    /**
     * Deletes a file so that it does not come back after a power cut.
     *
     * @return false when there was no such file
     */
    public static boolean delete(Path file) throws IOException {
        Path target = file.toAbsolutePath();
        boolean deleted;
        try {
            deleted = Files.deleteIfExists(target);
        } catch (IOException e) {
            throw failure("delete", target, e);
        }
        if (deleted) {
            syncDirectory(target.getParent());
        }
        return deleted;
    }

    /**
     * Creates a directory and its missing parents, each synced into its own parent, so that what is put in them
     * later does not vanish with them after a power cut.
     */
    public static void createDirectories(Path directory) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path d = directory.toAbsolutePath(); d != null && !Files.isDirectory(d); d = d.getParent()) {
            missing.push(d);
        }
        for (Path d : missing) {
            try {
                Files.createDirectory(d);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(d)) {
                    throw new IOException("Could not create the directory " + d + ": a file of that name is in the "
                            + "way. Move it elsewhere", e);
                }
            } catch (IOException e) {
                throw failure("create the directory", d, e);
            }
            syncDirectory(d.getParent());
        }
    }

    /** Syncs a directory: the files created, renamed or deleted in it are so on disk when this returns. */
    public static void syncDirectory(Path directory) throws IOException {
        if (!DIRECTORIES_SYNC) {
            return;
        }
        try (FileChannel channel = FileChannel.open(directory, READ)) {
            channel.force(true);
        } catch (IOException e) {
            throw failure("sync the directory", directory.toAbsolutePath(), e);
        }
    }

    private static void write(Path target, Content content, boolean ownerOnly) throws IOException {
        Path directory = target.getParent();
        createDirectories(directory);
        Set<PosixFilePermission> keep = ownerOnly ? null : permissions(target);
        Path temporary = temporary(target, ownerOnly);
        try {
            try (FileChannel channel = FileChannel.open(temporary, WRITE);
                    OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            if (keep != null) {
                Files.setPosixFilePermissions(temporary, keep);
            }
            Files.move(temporary, target, ATOMIC_MOVE);
        } catch (IOException e) {
            discard(temporary, e);
            throw failure("write", target, e);
        } catch (RuntimeException e) {
            discard(temporary, e);
            throw e;
        }
        syncDirectory(directory);
    }

    /** The failure that made the temporary file useless is what the caller needs to hear about. */
    private static void discard(Path temporary, Exception cause) {
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    /** A new hidden file beside the target, named after it, that no one else writes. */
    private static Path temporary(Path target, boolean ownerOnly) throws IOException {
        FileAttribute<?>[] attributes = ownerOnly && POSIX
                ? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(OWNER_ONLY) }
                : new FileAttribute<?>[0];
        while (true) {
            Path temporary = target.resolveSibling("." + target.getFileName() + "."
                    + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + TEMPORARY_SUFFIX);
            try {
                return Files.createFile(temporary, attributes);
            } catch (FileAlreadyExistsException taken) {
                // Another name, then.
            } catch (IOException e) {
                throw failure("write", target, e);
            }
        }
    }

    /** The permissions of the file being replaced, which its new content keeps; null for a new file. */
    private static Set<PosixFilePermission> permissions(Path file) throws IOException {
        if (!POSIX) {
            return null;
        }
        try {
            return Files.getPosixFilePermissions(file);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The cause, and what an operator can do about it: an error names the file, and the disk when it is full. */
    static IOException failure(String action, Path file, IOException cause) {
        String reason = cause instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                : cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        Path directory = file.getParent() == null ? file : file.getParent();
        String advice;
        if (isDiskFull(reason, directory)) {
            advice = "Free space on " + disk(directory) + ", where " + directory + " is";
        } else if (cause instanceof AccessDeniedException) {
            advice = "Let the gateway's user write to " + directory;
        } else if (reason.contains("Read-only file system")) {
            advice = "The file system of " + directory + " is mounted read-only: mount it writable";
        } else {
            advice = "Check the disk (" + disk(directory) + ") and that the gateway's user may write to " + directory;
        }
        return new IOException("Could not " + action + " " + file + ": " + reason + ". " + advice, cause);
    }

    private static boolean isDiskFull(String reason, Path directory) {
        if (reason.contains("No space left on device") || reason.contains("Disk quota exceeded")) {
            return true;
        }
        try {
            return Files.getFileStore(existing(directory)).getUsableSpace() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static String disk(Path directory) {
        try {
            return Files.getFileStore(existing(directory)).toString();
        } catch (IOException e) {
            return "the disk";
        }
    }

    private static Path existing(Path path) {
        Path p = path;
        while (p.getParent() != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p;
    }
}
