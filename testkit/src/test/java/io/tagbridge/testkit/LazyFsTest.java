package io.tagbridge.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * The harness itself: a cut keeps what was synced and loses what was not, a crash at a rename happens at that rename,
 * and a machine without LazyFS skips the power-cut tests unless they are required.
 */
class LazyFsTest {

    @TempDir
    Path dir;

    @Test
    void aCutKeepsSyncedDataAndRenamesAndLosesDataThatWasOnlyWritten() throws Exception {
        try (LazyFs fs = LazyFs.mount(dir.resolve("root"), dir.resolve("mnt"))) {
            Path synced = fs.mount().resolve("synced.txt");
            Path written = fs.mount().resolve("written.txt");
            try (FileChannel c = FileChannel.open(synced, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                c.write(StandardCharsets.UTF_8.encode("kept"));
                c.force(true);
            }
            Files.writeString(written, "lost");
            Files.move(written, fs.mount().resolve("renamed.txt"), StandardCopyOption.ATOMIC_MOVE);
            assertThat(fs.mount().resolve("renamed.txt")).hasContent("lost");

            fs.cut(0);

            assertThat(fs.mounted()).isFalse();
            assertThat(fs.root().resolve("synced.txt")).hasContent("kept");
            assertThat(fs.root().resolve("renamed.txt")).as("the rename passed through, the data did not")
                    .exists().isEmptyFile();
            fs.remount();
            assertThat(fs.mount().resolve("synced.txt")).hasContent("kept");
        }
    }

    /**
     * What the journal relies on: bytes written into a shared memory map and forced (msync of the range written since
     * the last force, as the journal's segments do) survive a cut; what was written after the last force may not.
     */
    @Test
    void dataWrittenThroughAMemoryMapAndForcedRangeByRangeSurvivesACut() throws Exception {
        try (LazyFs fs = LazyFs.mount(dir.resolve("root"), dir.resolve("mnt"))) {
            for (int round = 0; round < 3; round++) {
                Path file = fs.mount().resolve("segment-" + round);
                int size = 4 << 20;
                try (FileChannel c = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    c.write(java.nio.ByteBuffer.allocate(size));
                    c.force(true);
                }
                java.nio.MappedByteBuffer map;
                try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    map = c.map(FileChannel.MapMode.READ_WRITE, 0, size);
                }
                java.util.concurrent.atomic.AtomicInteger forced = new java.util.concurrent.atomic.AtomicInteger();
                java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
                Thread writer = new Thread(() -> {
                    int end = 0;
                    int forcedEnd = 0;
                    while (!stop.get() && end + 8 * 64 <= size) {
                        for (int i = 0; i < 64; i++, end += 8) {
                            map.putLong(end, end / 8 + 1);
                        }
                        map.force(forcedEnd, end - forcedEnd);
                        forcedEnd = end;
                        forced.set(end);
                    }
                });
                writer.start();
                Thread.sleep(700 + 300 * round);
                stop.set(true);
                writer.join();
                int acknowledged = forced.get();
                if (acknowledged + 8 <= size) {
                    map.putLong(acknowledged, -1); // written, never forced: the cut takes it
                }
                fs.cut(0);
                java.nio.ByteBuffer kept = java.nio.ByteBuffer.wrap(Files.readAllBytes(fs.root().resolve(
                        "segment-" + round)));
                assertThat(acknowledged).isPositive();
                for (int at = 0; at < acknowledged; at += 8) {
                    if (kept.getLong(at) != at / 8 + 1) {
                        throw new AssertionError("round " + round + ": forced bytes lost at " + at + " of "
                                + acknowledged);
                    }
                }
                assertThat(kept.getLong(acknowledged)).as("bytes written after the last force").isZero();
                fs.remount();
            }
        }
    }

    @Test
    void aCrashAtARenameHappensAtThatRenameAndNotAtAnother() throws Exception {
        try (LazyFs fs = LazyFs.mount(dir.resolve("root"), dir.resolve("mnt"))) {
            fs.crashAt(LazyFs.Crash.afterRenameTo("target\\.txt$"));
            Files.writeString(fs.mount().resolve("other.tmp"), "x");
            Files.move(fs.mount().resolve("other.tmp"), fs.mount().resolve("other.txt"));
            assertThat(fs.crashed(Duration.ofMillis(300))).as("crashed at another rename").isFalse();
            Path tmp = fs.mount().resolve("target.txt.tmp");
            Files.writeString(tmp, "not synced");
            try {
                Files.move(tmp, fs.mount().resolve("target.txt"), StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException gone) {
                // LazyFS died answering it
            }
            fs.awaitCrash(Duration.ofSeconds(10), 0);
            assertThat(fs.root().resolve("target.txt")).exists().isEmptyFile();
            assertThat(fs.root().resolve("target.txt.tmp")).doesNotExist();
        }
    }

    /**
     * The directory model: a program that renames without syncing the directory loses the rename to the cut (the
     * file it replaced is back, the new content under its temporary name), one that syncs keeps it, and a rename
     * across directories needs both synced.
     */
    @Test
    void withTheDirectoryModelACutKeepsARenameOnlyWhenASyncOfItsDirectoryFollowed() throws Exception {
        try (LazyFs fs = LazyFs.mount(dir.resolve("root"), dir.resolve("mnt")).withDirectoryModel()) {
            Path m = fs.mount();
            Sync.write(m.resolve("a.txt"), "old a");
            Sync.write(m.resolve("b.txt"), "old b");
            Sync.write(m.resolve("x/c.txt"), "c");
            Files.createDirectories(m.resolve("y"));
            Process p = program(fs, m, "write:.a.tmp:new a", "move:.a.tmp:a.txt", "sync:.",
                    "write:.b.tmp:new b", "move:.b.tmp:b.txt",
                    "move:x/c.txt:y/c.txt", "sync:y",
                    "write:d.tmp:d", "move:d.tmp:" + m.resolve("d.txt"));
            try {
                assertThat(p.inputReader().readLine()).isEqualTo("done");
                fs.cut(p.pid());
            } finally {
                p.destroyForcibly().waitFor();
            }
            Path r = fs.root();
            assertThat(r.resolve("a.txt")).as("renamed, then its directory synced").hasContent("new a");
            assertThat(r.resolve(".a.tmp")).doesNotExist();
            assertThat(r.resolve("b.txt")).as("renamed over, never synced: the old file is back").hasContent("old b");
            assertThat(r.resolve(".b.tmp")).as("and the new one under its old name").hasContent("new b");
            assertThat(r.resolve("x/c.txt")).as("moved, only the destination's directory synced").hasContent("c");
            assertThat(r.resolve("y/c.txt")).doesNotExist();
            assertThat(r.resolve("d.txt")).doesNotExist();
            assertThat(r.resolve("d.tmp")).hasContent("d");
            assertThat(fs.lastUndone()).hasSize(3);
            assertThat(stashes(r)).as("stashes left").isEmpty();
            assertThat(fs.history()).last().asString().startsWith("undid 3 rename(s)");
            fs.remount();
            assertThat(m.resolve("b.txt")).hasContent("old b");
        }
    }

    /** A crash at a rename keeps that rename, as without the model; earlier renames no sync followed go. */
    @Test
    void withTheDirectoryModelACrashAtARenameKeepsItAndUndoesTheEarlierOnesNotSynced() throws Exception {
        try (LazyFs fs = LazyFs.mount(dir.resolve("root"), dir.resolve("mnt")).withDirectoryModel()) {
            Path m = fs.mount();
            Sync.write(m.resolve("target.txt"), "old");
            fs.crashAt(LazyFs.Crash.afterRenameTo("target\\.txt$"));
            Process p = program(fs, m, "write:g.tmp:g", "move:g.tmp:g.txt", "write:target.tmp:new",
                    "move:target.tmp:target.txt");
            try {
                assertThat(p.inputReader().readLine()).startsWith("failed");
                fs.awaitCrash(Duration.ofSeconds(30), p.pid());
            } finally {
                p.destroyForcibly().waitFor();
            }
            assertThat(fs.root().resolve("target.txt")).hasContent("new");
            assertThat(fs.root().resolve("g.tmp")).hasContent("g");
            assertThat(fs.root().resolve("g.txt")).doesNotExist();
            assertThat(stashes(fs.root())).as("stashes left").isEmpty();
        }
    }

    private static Process program(LazyFs fs, Path workDir, String... steps) throws IOException {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                ProcessHandle.current().info().command().orElse("java"), "-XX:TieredStopAtLevel=1", "-Xmx64m", "-cp",
                System.getProperty("java.class.path"), RenamingProgram.class.getName()));
        command.addAll(java.util.List.of(steps));
        ProcessBuilder b = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        b.environment().putAll(fs.environment());
        return b.start();
    }

    private static java.util.List<Path> stashes(Path root) throws IOException {
        try (var files = Files.walk(root)) {
            return files.filter(f -> f.getFileName().toString().startsWith(".renames-stash-")).toList();
        }
    }

    @Test
    void withoutTheBinaryAPowerCutTestIsSkippedOrFailsWhenRequired() {
        String binary = System.getProperty(LazyFs.BINARY_PROPERTY);
        String required = System.getProperty(LazyFs.REQUIRED_PROPERTY);
        try {
            System.clearProperty(LazyFs.BINARY_PROPERTY);
            System.clearProperty(LazyFs.REQUIRED_PROPERTY);
            assertThatThrownBy(LazyFs::binary).isInstanceOf(TestAbortedException.class)
                    .hasMessageContaining("../shared/tools/lazyfs/build.sh")
                    .hasMessageContaining("-Dtagbridge.lazyfs=<printed path>");
            System.setProperty(LazyFs.REQUIRED_PROPERTY, "true");
            assertThatThrownBy(LazyFs::binary).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("tagbridge.lazyfs.required=true");
            System.setProperty(LazyFs.BINARY_PROPERTY, dir.resolve("no-such-lazyfs").toString());
            assertThatThrownBy(LazyFs::binary).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("is not an executable file");
        } finally {
            restore(LazyFs.BINARY_PROPERTY, binary);
            restore(LazyFs.REQUIRED_PROPERTY, required);
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }
}
