package io.tagbridge.buffer;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.tagbridge.benchmarks.BenchFixtures;
import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.TargetCursor;

/**
 * How long the gateway takes to start on a full journal, and what heap that costs: fills a journal with a backlog
 * of the given size for a target that never writes (a long outage), closes it, and opens it again the way the
 * buffer does at start, then reads the first batch. Prints one line per run.
 *
 * <p>Usage: JournalRecoveryBenchmark [megabytes, default 1024] [runs, default 3]. Run it with the heap the gateway
 * gets (-Xmx64m) to see that the backlog stays on disk.
 */
public final class JournalRecoveryBenchmark {

    private JournalRecoveryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long megabytes = args.length > 0 ? Long.parseLong(args[0]) : 1024;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = BenchFixtures.tempDirectory("tagbridge-recovery");
        long values = fill(dir, megabytes << 20);
        System.out.printf("journal of %,d MB holding %,d values for a target that never wrote; heap max %,d MB%n",
                bytes(dir) >> 20, values, Runtime.getRuntime().maxMemory() >> 20);
        for (int run = 1; run <= runs; run++) {
            System.gc();
            long heapBefore = usedHeap();
            long start = System.nanoTime();
            try (BenchBuffer buffer = BenchBuffer.journal(dir, SyncPolicy.PERIODIC, 4L << 30)) {
                double opened = (System.nanoTime() - start) / 1e6;
                TargetCursor cursor = buffer.open("dead");
                List<ReceivedValue> first = new ArrayList<>();
                cursor.next(first, 500, 0, TimeUnit.MILLISECONDS);
                double firstBatch = (System.nanoTime() - start) / 1e6;
                System.gc();
                long heapAfter = usedHeap();
                System.out.printf("run %d: open %.0f ms, first batch of %d after %.0f ms, heap held %+.1f MB%n", run,
                        opened, first.size(), firstBatch, (heapAfter - heapBefore) / 1048576.0);
                cursor.close();
            }
        }
    }

    /** Offers values in lists of 100 until the journal holds {@code bytes}; the target never reads. */
    private static long fill(Path dir, long bytes) throws Exception {
        long n = 0;
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        try (BenchBuffer buffer = BenchBuffer.journal(dir, SyncPolicy.PERIODIC, 4L << 30)) {
            buffer.open("dead").close();
            while (bytes(dir) < bytes) {
                List<TagValue> batch = new ArrayList<>(100);
                for (int i = 0; i < 100; i++, n++) {
                    batch.add(TagValue.of("plc" + (n % 100) + ".tag" + (n % 1000), base.plusNanos(n * 1000), n * 0.5,
                            Quality.GOOD));
                }
                if (!buffer.offer(batch).allAccepted()) {
                    break;
                }
            }
        }
        return n;
    }

    private static long bytes(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".tbj")).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
