package io.tagbridge.benchmarks;

import java.nio.file.Path;
import java.util.List;

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
}
