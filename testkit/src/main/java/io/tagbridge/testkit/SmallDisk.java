package io.tagbridge.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * A small disk for full-disk tests: a tmpfs of a given size mounted on a folder ({@code mount -t tmpfs -o size=Nm}),
 * so that the kernel answers ENOSPC ("No space left on device") wherever a program writes once it is full, and a
 * {@link #fill(String) filler file} that takes what is left.
 *
 * <p>Needs Linux and root. When it cannot be had the test is skipped (a JUnit assumption), or fails with
 * {@code -D}{@value #REQUIRED_PROPERTY}{@code =true}; see {@link Requirement}.
 */
public final class SmallDisk implements AutoCloseable {

    /** {@code true}: a full-disk test that cannot mount its small disk fails instead of being skipped. */
    public static final String REQUIRED_PROPERTY = "tagbridge.fulldisk.required";
    /** How to run the full-disk tests, for the message of a skipped test. */
    public static final String HOW = "Full-disk tests mount a small tmpfs: run mvn verify as root on Linux "
            + "(CI does, with -D" + REQUIRED_PROPERTY + "=true)";

    private final Path dir;
    private final int megabytes;
    private boolean mounted;

    private SmallDisk(Path dir, int megabytes) {
        this.dir = dir.toAbsolutePath().normalize();
        this.megabytes = megabytes;
    }

    /** Mounts a tmpfs of {@code megabytes} MB on {@code dir} (created if missing); skips or fails when it cannot. */
    public static SmallDisk mount(Path dir, int megabytes) throws IOException, InterruptedException {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            throw Requirement.unmet(REQUIRED_PROPERTY, "Full-disk test not run: it needs Linux's tmpfs", HOW);
        }
        if (!isRoot()) {
            throw Requirement.unmet(REQUIRED_PROPERTY, "Full-disk test not run: mounting a tmpfs needs root", HOW);
        }
        Files.createDirectories(dir);
        SmallDisk disk = new SmallDisk(dir, megabytes);
        if (mountedAt(disk.dir)) { // left by an earlier run that died
            new ProcessBuilder("umount", "-l", disk.dir.toString()).redirectErrorStream(true).start().waitFor();
        }
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs",
                disk.dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw Requirement.unmet(REQUIRED_PROPERTY, "Full-disk test not run: mount -t tmpfs failed: " + out,
                    HOW);
        }
        disk.mounted = true;
        return disk;
    }

    private static boolean mountedAt(Path dir) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] fields = line.split(" ");
            if (fields.length > 4 && fields[4].equals(dir.toString())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    public Path dir() {
        return dir;
    }

    public int megabytes() {
        return megabytes;
    }

    /** Free bytes, as a program asking the file system sees them. */
    public long free() throws IOException {
        FileStore store = Files.getFileStore(dir);
        return store.getUsableSpace();
    }

    /**
     * Writes a filler file named {@code name} in the disk's root until the kernel refuses with ENOSPC: the disk is
     * full afterwards, and stays full while anything else on it grows. Returns the filler's size.
     */
    public long fill(String name) throws IOException {
        Path filler = dir.resolve(name);
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 0x5a);
        long written = 0;
        try (OutputStream out = Files.newOutputStream(filler, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            for (;;) {
                out.write(chunk);
                written += chunk.length;
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
        // the last chunk may have been written in part: fill up to the last byte
        try (OutputStream out = Files.newOutputStream(filler, StandardOpenOption.APPEND)) {
            for (;;) {
                out.write(0x5a);
                out.flush();
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
        return Files.size(filler);
    }

    /**
     * Writes a filler file named {@code name} until {@code leaveFree} bytes are left free (or fewer, by at most a
     * page): the disk is nearly full, without the kernel refusing anything yet. Returns the filler's size.
     */
    public long fill(String name, long leaveFree) throws IOException {
        Path filler = dir.resolve(name);
        byte[] chunk = new byte[1 << 20];
        java.util.Arrays.fill(chunk, (byte) 0x5a);
        try (OutputStream out = Files.newOutputStream(filler, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            for (long left = free() - leaveFree; left > 0; left = free() - leaveFree) {
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
                out.flush();
            }
        }
        return Files.size(filler);
    }

    /** Deletes the filler: the space is free again. */
    public void unfill(String name) throws IOException {
        Files.deleteIfExists(dir.resolve(name));
    }

    /** Unmounts the tmpfs (lazily, should a process still hold a file there); its content is gone. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (mounted) {
            Process p = new ProcessBuilder("umount", "-l", dir.toString()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(30, TimeUnit.SECONDS);
            mounted = false;
        }
    }
}
