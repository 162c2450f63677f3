package io.tagbridge.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Directory durability for renames, which LazyFS does not model (see {@link LazyFs#withDirectoryModel()}): the
 * program under test runs with a small {@code LD_PRELOAD} shim ({@code renames.c}, beside this class, compiled with
 * gcc once per JVM) that logs, outside the file system being cut, each rename it makes under the mount and each
 * directory it syncs; after a cut the renames that no sync of their directories followed are undone on the root,
 * newest first.
 *
 * <p>A rename is durable when a sync (fsync or fdatasync) of its destination's directory, and of its source's when
 * that is another, <em>began</em> after the rename returned, in any process. Before renaming over a file the shim
 * links that file to a hidden stash beside it ({@code .renames-stash-<pid>-<n>}), so that an undo can put the old
 * content back; a stash goes as soon as its rename is durable, and the rest after the cut.
 */
final class DirectoryModel {

    static final String LOG_VARIABLE = "TAGBRIDGE_RENAMES_LOG";
    static final String UNDER_VARIABLE = "TAGBRIDGE_RENAMES_UNDER";
    static final String STASH_PREFIX = ".renames-stash-";
    private static final Charset PATHS = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));

    private static Path library;

    private final Path log;
    /** The mount, its parents resolved, as the shim writes its paths. */
    private final String mount;
    private final Path root;
    private int cuts;

    DirectoryModel(Path log, Path mount, Path root) throws IOException {
        this.log = log;
        this.mount = mount.getParent().toRealPath().resolve(mount.getFileName()).toString();
        this.root = root;
        Files.write(log, new byte[0]);
    }

    /** What the program under test runs with: the shim preloaded, where it logs, and which paths it watches. */
    Map<String, String> environment() {
        String preload = System.getenv("LD_PRELOAD");
        Map<String, String> env = new HashMap<>();
        env.put("LD_PRELOAD", library.toString() + (preload == null || preload.isBlank() ? "" : ":" + preload));
        env.put(LOG_VARIABLE, log.toString());
        env.put(UNDER_VARIABLE, mount);
        return env;
    }

    /**
     * After a cut or a crash (the program gone, the mount detached): undoes on the root, newest first, every rename
     * the log has that no sync of its directories followed, deletes every stash left, and starts a new log for the
     * next run (the old one stays beside it as {@code renames-cut-<n>.log}). Returns the renames undone, in the order
     * undone, as text.
     */
    List<String> apply() throws IOException {
        Log entries = read();
        List<String> undone = new ArrayList<>();
        List<Rename> newestFirst = new ArrayList<>(entries.renames);
        newestFirst.sort(Comparator.comparingLong(Rename::end).thenComparingInt(Rename::line).reversed());
        for (Rename r : newestFirst) {
            if (r.durable(entries.lastSync)) {
                continue;
            }
            Path to = onRoot(r.to);
            Path from = onRoot(r.from);
            String what = r.from + " -> " + r.to;
            if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.move(to, from, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    undone.add(what + ": could not be undone (" + e + ")");
                    continue;
                }
            }
            if (r.stash != null && Files.exists(onRoot(r.stash), LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.move(onRoot(r.stash), to, StandardCopyOption.ATOMIC_MOVE);
                    what += " (the file it replaced is back)";
                } catch (IOException e) {
                    what += " (the file it replaced could not be put back: " + e + ")";
                }
            }
            undone.add(what);
        }
        deleteStashes(entries.stashes);
        // kept for a failure's analysis, beside LazyFS's logs; the next run logs afresh
        Files.move(log, log.resolveSibling("renames-cut-" + ++cuts + ".log"), StandardCopyOption.REPLACE_EXISTING);
        Files.write(log, new byte[0]);
        return undone;
    }

    /** At the end of a test: deletes the stashes left, undoing nothing, and clears the log. */
    void discard() throws IOException {
        if (Files.exists(log)) {
            deleteStashes(read().stashes);
            Files.write(log, new byte[0]);
        }
    }

    private void deleteStashes(Set<String> stashes) throws IOException {
        for (String stash : stashes) {
            Path p = onRoot(stash);
            if (p.getFileName().toString().startsWith(STASH_PREFIX)) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The path a mount path has on the root: what the disk holds. */
    private Path onRoot(String path) {
        if (!path.startsWith(mount) || (path.length() > mount.length() && path.charAt(mount.length()) != '/')) {
            throw new IllegalStateException("the shim logged a path outside the mount " + mount + ": " + path);
        }
        String relative = path.substring(mount.length()).replaceFirst("^/+", "");
        return relative.isEmpty() ? root : root.resolve(relative);
    }

    private record Rename(int line, long end, String from, String to, String stash, boolean unknown) {

        /** Both directories synced, by a sync that began after the rename returned; or nothing to undo it with. */
        boolean durable(Map<String, Long> lastSync) {
            return unknown || synced(lastSync, parent(to)) && (parent(from).equals(parent(to))
                    || synced(lastSync, parent(from)));
        }

        private boolean synced(Map<String, Long> lastSync, String dir) {
            Long at = lastSync.get(dir);
            return at != null && at > end;
        }

        private static String parent(String path) {
            int slash = path.lastIndexOf('/');
            return slash <= 0 ? "/" : path.substring(0, slash);
        }
    }

    private record Log(List<Rename> renames, Map<String, Long> lastSync, Set<String> stashes) {
    }

    private Log read() throws IOException {
        List<Rename> renames = new ArrayList<>();
        Map<String, Long> lastSync = new HashMap<>();
        Set<String> stashes = new LinkedHashSet<>();
        String text = Files.exists(log) ? new String(Files.readAllBytes(log), PATHS) : "";
        int n = 0;
        for (String line : text.split("\n")) {
            n++;
            String[] f = line.split("\t", -1);
            try {
                if (f[0].equals("P") && f.length == 2) {
                    stashes.add(f[1]);
                } else if (f[0].equals("R") && f.length == 5) {
                    boolean stashed = !f[4].equals("-") && !f[4].equals("!");
                    renames.add(new Rename(n, Long.parseLong(f[1]), f[2], f[3], stashed ? f[4] : null,
                            f[4].equals("!")));
                    if (stashed) {
                        stashes.add(f[4]);
                    }
                } else if (f[0].equals("S") && f.length == 3) {
                    lastSync.merge(f[2], Long.parseLong(f[1]), Math::max);
                }
            } catch (NumberFormatException torn) {
                // not a line the shim wrote whole: nothing to model
            }
        }
        return new Log(renames, lastSync, stashes);
    }

    /**
     * The shim, compiled once per JVM with gcc into {@code target/renames/} (or the temporary directory when there
     * is no {@code target/} here). Skips the calling test, or fails it, when gcc is missing.
     */
    static synchronized Path library() throws IOException, InterruptedException {
        if (library != null) {
            return library;
        }
        if (!LazyFs.onPath("gcc")) {
            throw LazyFs.skip("gcc is not installed (Debian package gcc): the directory model compiles its "
                    + "LD_PRELOAD shim at test time");
        }
        Path dir = (Files.isDirectory(Path.of("target")) ? Path.of("target", "renames")
                : Path.of(System.getProperty("java.io.tmpdir"), "tagbridge-renames-" + System.getProperty("user.name")))
                .toAbsolutePath();
        Files.createDirectories(dir);
        long pid = ProcessHandle.current().pid();
        Path source = dir.resolve("renames-" + pid + ".c");
        Path compiled = dir.resolve("librenames-" + pid + ".so");
        try (InputStream in = DirectoryModel.class.getResourceAsStream("renames.c")) {
            if (in == null) {
                throw new IllegalStateException("renames.c is missing beside " + DirectoryModel.class.getName());
            }
            Files.write(source, in.readAllBytes());
        }
        Process gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-O2", "-Wall", "-o", compiled.toString(),
                source.toString(), "-ldl").redirectErrorStream(true).start();
        String out = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0 || !Files.exists(compiled)) {
            gcc.destroyForcibly();
            throw new AssertionError("gcc could not compile the directory model's shim " + source + ":\n" + out);
        }
        // one name for every JVM: a newer copy replaces it whole, and a program that loaded the older keeps it
        Files.move(source, dir.resolve("renames.c"), StandardCopyOption.ATOMIC_MOVE);
        library = Files.move(compiled, dir.resolve("librenames.so"), StandardCopyOption.ATOMIC_MOVE);
        return library;
    }
}
