package io.tagbridge.testkit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * Files a test writes the way a careful operator's tool does: synced before anything depends on them, so that a
 * power cut on LazyFS takes only what the program under test failed to sync, never the test's own set-up.
 */
public final class Sync {

    private Sync() {
    }

    /** Replaces {@code file} whole with {@code content}: written beside it, synced, renamed into place. */
    public static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Path next = file.resolveSibling(file.getFileName() + ".test-next");
        try (FileChannel c = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            c.write(StandardCharsets.UTF_8.encode(content));
            c.force(true);
        }
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Syncs every regular file under {@code dir} to disk. */
    public static void tree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                try (FileChannel c = FileChannel.open(f, StandardOpenOption.WRITE)) {
                    c.force(true);
                }
            }
        }
    }
}
