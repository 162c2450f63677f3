package io.tagbridge.commands;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a gateway holds a data directory, told without touching its lock: the lock file ({@code tagbridge.lock},
 * see the data bundle's {@code DirectoryLock}) names the process that took it, and that process is looked at.
 * Taking the lock, even for a moment, could keep a gateway that starts meanwhile from starting.
 *
 * <p>After a power cut the file names a process of the run before, and its number may belong to another process
 * now. A process is taken for the holder only if it runs, is a Java process (when the system says), and started
 * before the lock file was written (when the system says when it started).
 *
 * @param pid     the process the lock file names; -1 when it names none
 * @param running whether that process runs and holds the directory, as far as can be told
 * @param self    whether it is this process (the check runs in the gateway's console)
 * @param detail  what was found, for the operator
 */
record LockHolder(long pid, boolean running, boolean self, String detail) {

    /** The lock file's name, as the data bundle's {@code DirectoryLock} writes it. */
    static final String FILE = "tagbridge.lock";
    /** A process's start time and the lock file's time may differ by this much and still be in order. */
    private static final Duration SLACK = Duration.ofSeconds(2);

    static LockHolder of(Path dataDirectory) {
        Path file = dataDirectory.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return new LockHolder(-1, false, false, "no gateway has used this data directory (it has no " + FILE + ")");
        }
        String text;
        Instant written;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (text.isEmpty()) {
                // a gateway that takes the lock empties the file, then writes its number: look again
                Thread.sleep(200);
                text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            }
            written = Files.getLastModifiedTime(file).toInstant();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new LockHolder(-1, false, false, "interrupted while reading " + FILE);
        } catch (IOException e) {
            return new LockHolder(-1, false, false, FILE + " cannot be read (" + e.getMessage() + "): taken as not "
                    + "held");
        }
        long pid;
        try {
            pid = Long.parseLong(text);
        } catch (NumberFormatException e) {
            return new LockHolder(-1, false, false, FILE + " names no process: taken as not held");
        }
        if (pid == ProcessHandle.current().pid()) {
            return new LockHolder(pid, true, true, "this gateway (pid " + pid + ") holds it");
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return new LockHolder(pid, false, false, "not running: " + FILE + " names pid " + pid + ", which is "
                    + "not running");
        }
        ProcessHandle.Info info = process.get().info();
        Optional<Instant> started = info.startInstant();
        if (started.isPresent() && started.get().isAfter(written.plus(SLACK))) {
            return new LockHolder(pid, false, false, "not running: " + FILE + " names pid " + pid + ", but that "
                    + "process started after the file was written: another process has the number now (after a "
                    + "restart of the machine)");
        }
        Optional<String> command = info.command();
        if (command.isPresent() && !looksLikeJava(command.get())) {
            return new LockHolder(pid, false, false, "not running: " + FILE + " names pid " + pid + ", which is "
                    + Path.of(command.get()).getFileName() + ", not a Java process");
        }
        return new LockHolder(pid, true, false, "running: pid " + pid + " holds the data directory");
    }

    private static boolean looksLikeJava(String command) {
        Path name = Path.of(command).getFileName();
        return name == null || name.toString().toLowerCase(Locale.ROOT).contains("java");
    }
}
