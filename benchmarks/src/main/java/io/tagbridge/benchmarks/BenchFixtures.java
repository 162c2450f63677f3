package io.tagbridge.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.tagbridge.api.pipeline.BackupFile;
import io.tagbridge.api.pipeline.BackupStatus;
import io.tagbridge.api.pipeline.BatchBackup;
import io.tagbridge.api.pipeline.ReceivedValue;

/** What every benchmark needs to build the pipeline's parts without OSGi. */
public final class BenchFixtures {

    /** A benchmark batch must never fail; if one does, the measurement is void. */
    public static final BatchBackup NO_BACKUP = new BatchBackup() {
        public Path save(String target, List<ReceivedValue> values, String reason) {
            throw new IllegalStateException("a benchmark batch failed: " + reason);
        }

        public Path directory() {
            return Path.of(".");
        }

        public BackupStatus status() {
            throw new IllegalStateException("a benchmark keeps no backups");
        }

        public List<BackupFile> files() {
            return List.of();
        }

        public List<ReceivedValue> read(Path file) {
            throw new IllegalStateException("a benchmark keeps no backups");
        }
    };

    private BenchFixtures() {
    }

    /**
     * A new temporary directory, deleted with all it holds when the JVM exits: journals and databases of a
     * benchmark run take gigabytes, and a full run's leftovers once filled the disk under the runs that followed.
     */
    public static Path tempDirectory(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
        return dir;
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
