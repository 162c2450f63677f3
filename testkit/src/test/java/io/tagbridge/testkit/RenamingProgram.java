package io.tagbridge.testkit;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A program under test for {@link LazyFsTest}, run in a JVM of its own with {@link LazyFs#environment()}: it does
 * what its arguments say, in order, in its working directory, as the gateway does (Files.move with ATOMIC_MOVE,
 * FileChannel.force), prints {@code done} and waits to be cut.
 * <pre>
 * write:FILE:TEXT   writes FILE and forces it (its data is on disk; its name is LazyFS's business)
 * move:FROM:TO      renames FROM to TO, replacing TO
 * sync:DIR          syncs the directory DIR
 * </pre>
 * A failed step (the crash of LazyFS) is printed and ends the program.
 */
public final class RenamingProgram {

    public static void main(String[] args) throws Exception {
        try {
            for (String step : args) {
                String[] f = step.split(":", 3);
                switch (f[0]) {
                    case "write" -> {
                        try (FileChannel c = FileChannel.open(Path.of(f[1]), StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                            c.write(StandardCharsets.UTF_8.encode(f[2]));
                            c.force(true);
                        }
                    }
                    case "move" -> Files.move(Path.of(f[1]), Path.of(f[2]), StandardCopyOption.ATOMIC_MOVE);
                    case "sync" -> {
                        try (FileChannel c = FileChannel.open(Path.of(f[1]), StandardOpenOption.READ)) {
                            c.force(true);
                        }
                    }
                    default -> throw new IllegalArgumentException(step);
                }
            }
        } catch (java.io.IOException e) {
            System.out.println("failed " + e);
            System.out.flush();
            return;
        }
        System.out.println("done");
        System.out.flush();
        Thread.sleep(60_000);
    }

    private RenamingProgram() {
    }
}
