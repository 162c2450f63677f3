package io.tagbridge.testkit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A power cut without touching the machine: <a href="https://github.com/dsrhaslab/lazyfs">LazyFS</a>, a FUSE file
 * system that keeps every byte written in its own cache until the program syncs it (fsync, fdatasync, msync), mounted
 * over a folder ({@link #root()}) at {@link #mount()}. The program under test works in the mount; after a
 * {@link #cut(long) cut} the root holds what a disk would hold after the power came back, and {@link #remount()}
 * puts LazyFS over it again for the next start.
 *
 * <p>What LazyFS does and does not model (commit a47a5ba, built by {@code ../shared/tools/lazyfs/build.sh}): only
 * file <em>data</em> that was not synced is lost. Creating, renaming and deleting files passes straight through to
 * the root, so metadata is always "durable" (there is no fsync of a directory to forget), and a rename that happened
 * before the cut has happened after it, whether or not the renamed file's data was synced.
 *
 * <p>{@link #withDirectoryModel()} adds what a real file system does to renames: the program under test runs with
 * {@link #environment()}, an {@code LD_PRELOAD} shim that logs its renames and its syncs of directories, and after a
 * cut every rename that no sync of its directory (and of its source's, when another) followed is undone, newest
 * first: the renamed file is back under its old name, and the file it replaced under its own. Creating and
 * deleting files without a sync of their directory are not modeled: they stay what LazyFS makes them, durable at
 * once. Only what the program under test does through the C library ({@code rename}, {@code renameat},
 * {@code renameat2}, {@code fsync}, {@code fdatasync}) is seen: not the test's own files, nor {@code sync()} or
 * {@code syncfs()}, nor an fsync of a file, which on ext4 also commits its directory's renames (the model is the
 * stricter one).
 *
 * <p>Two ways to cut the power:
 * <ul>
 * <li>{@link #cut(long)} at a moment the test chooses: the program is frozen (SIGSTOP), LazyFS drops what was not
 * synced ({@code lazyfs::clear-cache}), then both are killed and the mount is detached.
 * <li>{@link #crashAt(Crash)} at a named file operation ({@code lazyfs::crash::...}): LazyFS kills itself with
 * SIGKILL when the program reaches it, losing its cache; {@link #awaitCrash(Duration, long)} waits for that and
 * then kills the program.
 * </ul>
 *
 * <p>Requirements: the system property {@value #BINARY_PROPERTY} names the lazyfs binary; FUSE ({@code /dev/fuse},
 * {@code fusermount3}) and root. When one is missing the test is skipped (a JUnit assumption), or fails with
 * {@code -D}{@value #REQUIRED_PROPERTY}{@code =true}; see {@link Requirement}.
 */
public final class LazyFs implements AutoCloseable {

    /** The path of the lazyfs binary. */
    public static final String BINARY_PROPERTY = "tagbridge.lazyfs";
    /** {@code true}: a missing LazyFS, a failed mount or any other reason to skip a power-cut test fails it. */
    public static final String REQUIRED_PROPERTY = "tagbridge.lazyfs.required";
    /** How to get LazyFS, for the message of a skipped test. */
    public static final String HOW = "Power-cut tests need LazyFS: build it with ../shared/tools/lazyfs/build.sh "
            + "(needs root and /dev/fuse) and run mvn verify -Dtagbridge.lazyfs=<printed path>";

    private static final Duration MOUNT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    /** No eviction: nothing unsynced reaches the root before a sync. The cache holds everything written in a mount. */
    private static final String DEFAULT_CACHE = "128mb";

    private final Path binary;
    private final Path root;
    private final Path mount;
    private final Path control;
    private final String cacheSize;
    private final List<String> history = new ArrayList<>();
    private Process process;
    private int generation;
    private RandomAccessFile faults;
    private RandomAccessFile completed;
    private BlockingQueue<String> completions;
    private Thread reader;
    private Path logFile;
    private String armed;
    private long mountedAtNanos;
    private String lastCacheUsage = "unknown";
    private DirectoryModel directories;
    private List<String> lastUndone = List.of();

    private LazyFs(Path binary, Path root, Path mount, String cacheSize) throws IOException {
        this.binary = binary;
        this.root = root.toAbsolutePath().normalize();
        this.mount = mount.toAbsolutePath().normalize();
        this.cacheSize = cacheSize;
        Files.createDirectories(this.root);
        Files.createDirectories(this.mount);
        // beside the mount: its fifos, its configuration, and its logs, which stay for a failure's analysis
        this.control = Files.createDirectories(this.mount.resolveSibling(this.mount.getFileName() + ".lazyfs"));
    }

    /**
     * Mounts LazyFS over {@code root} at {@code mount} (both created if missing) and waits until it is mounted.
     * Skips the calling test, or fails it, when LazyFS cannot run here (see {@link Requirement}).
     */
    public static LazyFs mount(Path root, Path mount) throws IOException, InterruptedException {
        return mount(root, mount, DEFAULT_CACHE);
    }

    /**
     * As {@link #mount(Path, Path)}, with the size of LazyFS's cache (such as {@code 256mb}), which LazyFS takes
     * from memory when it mounts. It must hold everything written during one mount: LazyFS runs without eviction,
     * so that nothing reaches the root unsynced.
     */
    public static LazyFs mount(Path root, Path mount, String cacheSize) throws IOException, InterruptedException {
        Path binary = binary();
        LazyFs fs = new LazyFs(binary, root, mount, cacheSize);
        try {
            fs.start();
        } catch (IOException | RuntimeException | Error e) {
            fs.close();
            throw e;
        }
        return fs;
    }

    /** The lazyfs binary named by {@value #BINARY_PROPERTY}, once the machine is checked; else skips or fails. */
    public static Path binary() {
        String configured = System.getProperty(BINARY_PROPERTY, "").trim();
        if (configured.isEmpty()) {
            throw skip("the system property " + BINARY_PROPERTY + " (the lazyfs binary) is not set");
        }
        Path binary = Path.of(configured);
        if (!Files.isExecutable(binary)) {
            throw skip(BINARY_PROPERTY + "=" + configured + " is not an executable file");
        }
        if (!Files.exists(Path.of("/dev/fuse"))) {
            throw skip("this machine has no /dev/fuse (FUSE is missing, or the container was started without it)");
        }
        if (!onPath("fusermount3")) {
            throw skip("fusermount3 is not installed (Debian package fuse3)");
        }
        return binary;
    }

    /**
     * Skips the calling test, or fails it with {@code -D}{@value #REQUIRED_PROPERTY}{@code =true}: every reason a
     * power-cut test does not run goes through here.
     */
    public static AssertionError skip(String why) {
        return Requirement.unmet(REQUIRED_PROPERTY, "Power-cut test not run: " + why, HOW);
    }

    /**
     * Models the durability of renames, which LazyFS leaves out: after a {@link #cut(long) cut} or a
     * {@link #awaitCrash(Duration, long) crash}, each rename the program made that no sync (fsync or fdatasync) of
     * its destination's directory, and of its source's when that is another, followed is undone on the root, newest
     * first: the renamed file goes back to its old name and the file it replaced, if any, is back under its own, as
     * on a real file system (XFS, or ext4 without luck) that lost the rename with the power. A sync counts when it
     * began after the rename returned.
     *
     * <p>Only a program started with {@link #environment()} is seen: an {@code LD_PRELOAD} shim, compiled with gcc
     * once per JVM (see {@code testkit/README.md}), logs its renames and directory syncs under the mount to
     * {@code <mount>.lazyfs/renames.log}. Creates and unlinks are not modeled (LazyFS makes them durable at once),
     * nor a rename at which an armed crash strikes: that one stays done, as {@link Crash#afterRenameTo(String)}
     * says. Before renaming over a file the shim links that file to a hidden {@code .renames-stash-<pid>-<n>} beside
     * it, deleted once the rename is durable or after the cut, so a directory listing may see one meanwhile.
     * Skips the calling test, or fails it (after unmounting), when gcc is missing.
     *
     * @return this
     */
    public LazyFs withDirectoryModel() throws IOException, InterruptedException {
        if (directories == null) {
            try {
                DirectoryModel.library();
                directories = new DirectoryModel(control.resolve("renames.log"), mount, root);
            } catch (IOException | InterruptedException | RuntimeException | Error e) {
                close();
                throw e;
            }
        }
        return this;
    }

    /**
     * The environment variables a program under test must be started with for {@link #withDirectoryModel()} (such
     * as {@code processBuilder.environment().putAll(fs.environment())}); none without the model.
     */
    public Map<String, String> environment() {
        return directories == null ? Map.of() : directories.environment();
    }

    /** The renames the directory model undid at the last cut or crash, oldest last; empty without the model. */
    public List<String> lastUndone() {
        return lastUndone;
    }

    /** The folder that plays the disk: what survives a cut. */
    public Path root() {
        return root;
    }

    /** Where the program under test works. */
    public Path mount() {
        return mount;
    }

    /** Whether LazyFS runs (it kills itself at an armed crash). */
    public boolean running() {
        return process != null && process.isAlive();
    }

    private void start() throws IOException, InterruptedException {
        generation++;
        Path faultsFifo = control.resolve("faults-" + generation + ".fifo");
        Path completedFifo = control.resolve("completed-" + generation + ".fifo");
        // New fifos for every mount: bytes a dead LazyFS left unread must not reach the next one.
        mkfifo(faultsFifo);
        mkfifo(completedFifo);
        logFile = control.resolve("lazyfs-" + generation + ".log");
        Path config = control.resolve("lazyfs-" + generation + ".toml");
        Files.writeString(config, "[faults]\n"
                + "fifo_path=\"" + faultsFifo + "\"\n"
                + "fifo_path_completed=\"" + completedFifo + "\"\n"
                + "[cache]\n"
                + "apply_eviction=false\n"
                + "[cache.simple]\n"
                + "custom_size=\"" + cacheSize + "\"\n"
                + "blocks_per_page=1\n"
                + "[filesystem]\n"
                + "log_all_operations=false\n"
                + "logfile=\"" + logFile + "\"\n");
        // Opened read-write, a fifo never blocks on open, and a write never fails for want of a reader.
        faults = new RandomAccessFile(faultsFifo.toFile(), "rw");
        completed = new RandomAccessFile(completedFifo.toFile(), "rw");
        completions = new LinkedBlockingQueue<>();
        RandomAccessFile from = completed;
        BlockingQueue<String> to = completions;
        reader = new Thread(() -> {
            try {
                for (String line = from.readLine(); line != null; line = from.readLine()) {
                    to.add(line.trim());
                }
            } catch (IOException closed) {
                // the mount is gone
            }
        }, "lazyfs-completed-" + generation);
        reader.setDaemon(true);
        reader.start();

        Path output = control.resolve("lazyfs-" + generation + ".out");
        process = new ProcessBuilder(binary.toString(), mount.toString(), "--config-path", config.toString(), "-o",
                "allow_other", "-o", "modules=subdir", "-o", "subdir=" + root, "-f").redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        long deadline = System.nanoTime() + MOUNT_TIMEOUT.toNanos();
        while (!mounted()) {
            if (!process.isAlive()) {
                String out = read(output) + read(logFile);
                throw skip("LazyFS did not mount " + mount + " (exit " + process.exitValue() + "; FUSE needs root "
                        + "and /dev/fuse): " + out.strip().lines().reduce((a, b) -> b).orElse(""));
            }
            if (System.nanoTime() > deadline) {
                throw skip("LazyFS did not mount " + mount + " within " + MOUNT_TIMEOUT + ": " + read(output));
            }
            Thread.sleep(20);
        }
        mountedAtNanos = System.nanoTime();
        armed = null;
    }

    /** Whether a FUSE file system is mounted at {@link #mount()} now, by /proc/self/mountinfo. */
    public boolean mounted() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] fields = line.split(" ");
            int dash = line.indexOf(" - ");
            if (fields.length > 4 && dash > 0 && unescape(fields[4]).equals(mount.toString())
                    && line.substring(dash + 3).startsWith("fuse")) {
                return true;
            }
        }
        return false;
    }

    private static String unescape(String mountInfoPath) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < mountInfoPath.length(); i++) {
            char c = mountInfoPath.charAt(i);
            if (c == '\\' && i + 3 < mountInfoPath.length()) {
                b.append((char) Integer.parseInt(mountInfoPath.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * The power cut, now: freezes the program (SIGSTOP) so that it does nothing more, has LazyFS drop every byte not
     * synced and waits until it has, then kills the program and LazyFS (SIGKILL) and detaches the mount. The root
     * then holds what the disk kept. A pid of 0 or less means no program.
     */
    public void cut(long pid) throws IOException, InterruptedException {
        if (!running()) {
            throw new IllegalStateException("LazyFS is not running" + (process == null ? "" : " (it exited with "
                    + process.exitValue() + ")") + "; " + (armed == null ? "" : "it crashed at " + armed + "; ")
                    + "see " + logFile);
        }
        signal(pid, "STOP");
        lastCacheUsage = cacheUsage();
        command("lazyfs::clear-cache");
        String done = completions.poll(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!"finished::clear-cache".equals(done)) {
            kill(pid);
            detach();
            throw new AssertionError("LazyFS did not confirm clear-cache within " + COMMAND_TIMEOUT + " (got "
                    + done + "); see " + logFile);
        }
        kill(pid);
        detach();
        history.add("cut at a chosen moment");
        undoRenamesNotSynced();
    }

    /**
     * Arms a crash at a named file operation, or at the first of several: LazyFS kills itself (losing what was not
     * synced) when the program reaches it. One arming at a time; see {@link #awaitCrash(Duration, long)}.
     */
    public void crashAt(Crash... crashes) throws IOException, InterruptedException {
        if (!running()) {
            throw new IllegalStateException("LazyFS is not running");
        }
        if (armed != null) {
            throw new IllegalStateException("a crash is armed already: " + armed);
        }
        List<String> all = new ArrayList<>();
        for (Crash crash : crashes) {
            arm(crash);
            all.add(crash.toString());
        }
        armed = String.join(" or ", all);
    }

    private void arm(Crash crash) throws IOException, InterruptedException {
        String logBefore = read(logFile);
        int before = count(logBefore, "VALID crash fault");
        int invalidBefore = count(logBefore, "INVALID crash fault");
        command(crash.command());
        long deadline = System.nanoTime() + COMMAND_TIMEOUT.toNanos();
        for (;;) {
            String log = read(logFile);
            if (count(log, "INVALID crash fault") > invalidBefore) {
                throw new IllegalArgumentException("LazyFS refused the fault " + crash.command() + ": "
                        + log.lines().filter(l -> l.contains("crash fault error")).toList());
            }
            if (count(log, "VALID crash fault") > before) {
                return;
            }
            if (!running() || System.nanoTime() > deadline) {
                throw new AssertionError("LazyFS did not take the fault " + crash.command() + "; see " + logFile);
            }
            Thread.sleep(10);
        }
    }

    /**
     * Waits until LazyFS has crashed at the armed operation, then kills the program (SIGKILL) and detaches the
     * mount. From the moment LazyFS died every file operation of the program failed, so what the root holds is
     * what the disk kept when the power went at that operation.
     *
     * @throws AssertionError when the operation did not happen within {@code timeout}; LazyFS then still runs and
     *                        the crash stays armed
     */
    public void awaitCrash(Duration timeout, long pid) throws IOException, InterruptedException {
        if (armed == null) {
            throw new IllegalStateException("no crash is armed");
        }
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the program did not reach " + armed + " within " + timeout);
        }
        String crash = armed;
        kill(pid);
        detach();
        history.add("crash " + crash);
        undoRenamesNotSynced();
    }

    /** With the directory model: the power took the renames no sync of their directory followed. */
    private void undoRenamesNotSynced() throws IOException {
        if (directories != null) {
            lastUndone = directories.apply();
            if (!lastUndone.isEmpty()) {
                history.add("undid " + lastUndone.size() + " rename(s) no directory sync followed: " + lastUndone);
            }
        }
    }

    /** Waits up to {@code timeout} for the armed crash; true if LazyFS crashed (the program is not touched). */
    public boolean crashed(Duration timeout) throws InterruptedException {
        return armed != null && process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What LazyFS logged when it crashed, such as the files that had data not synced; for a failure message. */
    public String crashReport() throws IOException {
        return read(logFile).lines().filter(l -> l.contains("critical") || l.contains("unsynced")
                || l.contains("Triggered")).reduce("", (a, b) -> a + b + "\n");
    }

    /**
     * How full LazyFS's cache was at the last {@link #cut(long) cut}, as LazyFS logs it (such as {@code 12.5%}); a
     * full cache would write through to the root unsynced, so a test should stay well below it.
     */
    public String lastCacheUsage() {
        return lastCacheUsage;
    }

    private String cacheUsage() throws IOException, InterruptedException {
        String marker = "cache usage";
        int before = count(read(logFile), marker);
        command("lazyfs::display-cache-usage");
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); System.nanoTime() < deadline;
                Thread.sleep(10)) {
            String log = read(logFile);
            if (count(log, marker) > before) {
                String line = log.substring(log.lastIndexOf(marker)).lines().findFirst().orElse("");
                String figure = line.substring(line.lastIndexOf(' ') + 1).replace("%", "").strip();
                try {
                    return String.format(java.util.Locale.ROOT, "%.1f%% of %s", Double.parseDouble(figure),
                            cacheSize);
                } catch (NumberFormatException e) {
                    return figure;
                }
            }
        }
        return "unknown";
    }

    /** Mounts LazyFS again over the same root, after a cut or a crash, for the next start. */
    public void remount() throws IOException, InterruptedException {
        if (running() || mounted()) {
            throw new IllegalStateException("LazyFS is still mounted at " + mount);
        }
        start();
    }

    /** How long the current mount has run. */
    public Duration uptime() {
        return Duration.ofNanos(System.nanoTime() - mountedAtNanos);
    }

    /** Every cut and crash so far, in order, for a failure message. */
    public List<String> history() {
        return List.copyOf(history);
    }

    /** The current mount's LazyFS log. */
    public Path log() {
        return logFile;
    }

    private void command(String command) throws IOException {
        if (command.length() >= 100) {
            throw new IllegalArgumentException("LazyFS reads at most 99 bytes per command: " + command);
        }
        faults.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** Kills LazyFS if it still runs, detaches the mount and stops reading its fifos. */
    private void detach() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        run("fusermount3", "-uz", mount.toString());
        long deadline = System.nanoTime() + COMMAND_TIMEOUT.toNanos();
        while (mounted() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        closeFifos();
    }

    private void closeFifos() {
        try {
            if (completed != null) {
                completed.write('\n'); // wakes the reader, which ends once the file is closed
                completed.close();
            }
            if (faults != null) {
                faults.close();
            }
        } catch (IOException ignored) {
            // closing
        }
        completed = null;
        faults = null;
        armed = null;
    }

    /**
     * Kills LazyFS and detaches the mount if need be, and deletes the fifos and the directory model's stashes
     * (undoing nothing); safe to call twice. LazyFS's logs stay beside the mount, in {@code <mount>.lazyfs/}.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if ((process != null && process.isAlive()) || mounted()) {
                detach();
            }
            closeFifos();
            if (directories != null && !mounted()) {
                directories.discard(); // the stashes go; nothing is undone without a cut
            }
        } finally {
            try (Stream<Path> files = Files.list(control)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".fifo")).toList()) {
                    Files.deleteIfExists(f);
                }
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /**
     * Detaches a mount a crashed earlier run may have left at {@code mount} (its LazyFS gone), so that the folder
     * can be used again; does nothing when nothing is mounted there.
     */
    public static void detachLeftover(Path mount) throws IOException, InterruptedException {
        Path where = mount.toAbsolutePath().normalize();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] fields = line.split(" ");
            if (fields.length > 4 && unescape(fields[4]).equals(where.toString())) {
                run("fusermount3", "-uz", where.toString());
                return;
            }
        }
    }

    /** Sends a signal by name (STOP, CONT, KILL) to a process; a pid of 0 or less is no process. */
    public static void signal(long pid, String name) throws IOException, InterruptedException {
        if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            run("kill", "-" + name, Long.toString(pid));
        }
    }

    private static void kill(long pid) throws InterruptedException {
        if (pid <= 0) {
            return;
        }
        ProcessHandle handle = ProcessHandle.of(pid).orElse(null);
        if (handle != null) {
            handle.destroyForcibly();
            try {
                handle.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new AssertionError("process " + pid + " did not die of SIGKILL", e);
            }
        }
    }

    private static void mkfifo(Path path) throws IOException, InterruptedException {
        Files.deleteIfExists(path);
        run("mkfifo", "-m", "600", path.toString());
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out.strip());
        }
    }

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            if (!what.startsWith("VALID") || i < 2 || !text.startsWith("IN", i - 2)) {
                n++;
            }
        }
        return n;
    }

    private static String read(Path file) {
        try {
            return file != null && Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * A file operation at which LazyFS crashes: {@code lazyfs::crash::timing=...::op=...::...}.
     *
     * <p>For the operations with two paths (rename, link, symlink) the pattern is matched against the destination
     * ({@code to_rgx}). LazyFS a47a5ba's test of the source pattern is inverted: without {@code from_rgx} such a
     * fault never fires, and any {@code from_rgx} other than a part of the word "none" is not checked at all. So
     * the command gives {@code from_rgx=.} (any source) and the destination's pattern. Patterns are regular
     * expressions (ECMAScript), found anywhere in the path; {@code $} anchors at the end. The command must stay
     * under 100 bytes.
     *
     * @param timing  {@code before} or {@code after} the operation
     * @param op      unlink, truncate, fsync, write, create, access, open, read, rename, link or symlink
     * @param pattern what the path (the destination, for rename, link and symlink) contains
     */
    public record Crash(String timing, String op, String pattern) {

        /** Power lost just before the program renames a file to a path matching {@code to}. */
        public static Crash beforeRenameTo(String to) {
            return new Crash("before", "rename", to);
        }

        /**
         * Power lost just after the program renamed a file to a path matching {@code to}: the rename is on disk,
         * the renamed file's data only if it was synced before.
         */
        public static Crash afterRenameTo(String to) {
            return new Crash("after", "rename", to);
        }

        /** Power lost just before the program syncs a file whose path matches. */
        public static Crash beforeFsync(String path) {
            return new Crash("before", "fsync", path);
        }

        /** Power lost just before the program deletes a file whose path matches. */
        public static Crash beforeUnlink(String path) {
            return new Crash("before", "unlink", path);
        }

        String command() {
            boolean twoPaths = op.equals("rename") || op.equals("link") || op.equals("symlink");
            return "lazyfs::crash::timing=" + timing + "::op=" + op
                    + (twoPaths ? "::from_rgx=.::to_rgx=" : "::from_rgx=") + pattern;
        }

        @Override
        public String toString() {
            return op + " " + timing + " (" + (op.equals("rename") ? "to " : "") + pattern + ")";
        }
    }
}
