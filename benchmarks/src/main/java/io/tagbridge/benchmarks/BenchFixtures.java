package io.tagbridge.benchmarks;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.util.List;

import io.tagbridge.api.pipeline.BatchBackup;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.buffer.BufferConfig;
import io.tagbridge.buffer.OverflowPolicy;

/** What every benchmark needs to build the pipeline's parts without OSGi. */
public final class BenchFixtures {

    /** A benchmark batch must never fail; if one does, the measurement is void. */
    public static final BatchBackup NO_BACKUP = new BatchBackup() {
        public Path save(List<ReceivedValue> values, String reason) {
            throw new IllegalStateException("a benchmark batch failed: " + reason);
        }

        public Path directory() {
            return Path.of(".");
        }

        public List<Path> files() {
            return List.of();
        }

        public List<ReceivedValue> read(Path file) {
            throw new IllegalStateException("a benchmark keeps no backups");
        }
    };

    private BenchFixtures() {
    }

    public static BufferConfig bufferConfig(int capacity, OverflowPolicy policy) {
        return new BufferConfig() {
            public Class<? extends Annotation> annotationType() { return BufferConfig.class; }
            public int capacity() { return capacity; }
            public OverflowPolicy overflowPolicy() { return policy; }
            public long blockTimeoutMillis() { return 60_000; }
        };
    }
}
