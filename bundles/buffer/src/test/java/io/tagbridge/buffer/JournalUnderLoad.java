package io.tagbridge.buffer;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.tagbridge.api.IngestResult;
import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.TargetCursor;
import io.tagbridge.buffer.journal.FileStorage;

/**
 * The buffer in a process of its own, for power cuts: two drivers offer numbered values as fast as they can, one
 * with plain offers, one with durable offers, and a writer settles what it reads, durably. Every answer is printed
 * to standard output, which lies outside the file system being cut:
 * <pre>
 * A &lt;first&gt; &lt;last&gt; &lt;micros&gt;   values first..last were accepted by a plain offer that returned at micros
 * D &lt;first&gt; &lt;last&gt;            values first..last were accepted by a durable offer, answered as on disk
 * W &lt;driver&gt; &lt;first&gt; &lt;last&gt;   the writer wrote that driver's values first..last, and settles them next
 * L &lt;driver&gt; &lt;first&gt; &lt;last&gt;   the same, by the writer of the target's live lane
 * </pre>
 * Value i is tag {@code p.<i % 20>} (plain) or {@code d.<i % 20>} (durable) at source time T0 + i µs. A writer
 * answers W before it settles, as a real one commits before it settles: a cut between the two leaves values the
 * database has and the journal writes again, never the other way round.
 *
 * <p>With {@code live}, the writer is slow half of the time (20 ms a batch, then full speed for as long), so that
 * a backlog builds and drains again, and a second writer takes the target's live lane (values that came while
 * the backlog was older than 100 ms): the lane splits, writes ahead and is taken over, again and again.
 *
 * <p>Usage: {@code JournalUnderLoad <journal directory> <segment bytes> <first value> [live]}
 */
public final class JournalUnderLoad {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final int PER_OFFER = 50;

    static TagValue value(String driver, long i) {
        return TagValue.of(driver + "." + (i % 20), T0.plusNanos(i * 1000L), (double) i, Quality.GOOD);
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        int segment = Integer.parseInt(args[1]);
        long first = Long.parseLong(args[2]);
        BufferSettings settings = new BufferSettings(true, "", 64L * segment, 0, segment, SyncPolicy.PERIODIC,
                Duration.ofMillis(200), 1, OverflowPolicy.BLOCK, TimeUnit.SECONDS.toNanos(5), Duration.ofHours(1));
        JournalBuffer buffer = JournalBuffer.open(settings, new FileStorage(directory, segment, settings.maxBytes(),
                0), directory, () -> null, () -> ReceivedValue.micros(Instant.now()), Clock.systemUTC());
        TargetCursor cursor = buffer.open("t", List.of());
        PrintStream out = new PrintStream(System.out, false);
        boolean live = args.length > 3 && args[3].equals("live");
        Thread writer = new Thread(() -> settle(cursor, "W", out, live), "writer");
        writer.setDaemon(true);
        writer.start();
        if (live) {
            TargetCursor lane = cursor.live(Duration.ofMillis(100));
            Thread liveWriter = new Thread(() -> settle(lane, "L", out, false), "live-writer");
            liveWriter.setDaemon(true);
            liveWriter.start();
        }
        Thread durable = new Thread(() -> offer(buffer, "d", first, out), "durable-driver");
        durable.setDaemon(true);
        durable.start();
        offer(buffer, "p", first, out);
    }

    private static void offer(JournalBuffer buffer, String driver, long first, PrintStream out) {
        for (long i = first; ; i += PER_OFFER) {
            long from = i;
            List<TagValue> values = IntStream.range(0, PER_OFFER).mapToObj(k -> value(driver, from + k)).toList();
            if (driver.equals("d")) {
                IngestResult r = buffer.offerDurably(values).toCompletableFuture().join();
                if (r.allAccepted() && r.durable()) {
                    print(out, "D " + from + " " + (from + PER_OFFER - 1));
                }
            } else if (buffer.offer(values).allAccepted()) {
                print(out, "A " + from + " " + (from + PER_OFFER - 1) + " " + ReceivedValue.micros(Instant.now()));
            }
        }
    }

    private static void settle(TargetCursor cursor, String answer, PrintStream out, boolean slowHalfTheTime) {
        List<ReceivedValue> batch = new ArrayList<>();
        try {
            for (long batches = 0; ; batches++) {
                batch.clear();
                int n = cursor.next(batch, 500, 50, TimeUnit.MILLISECONDS);
                if (n > 0) {
                    printRuns(batch, answer, out);
                    cursor.settle(n, 0, 0, true);
                }
                if (slowHalfTheTime && batches % 100 < 50) {
                    Thread.sleep(20);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The settled values as runs of one driver's consecutive numbers, one line each. */
    private static void printRuns(List<ReceivedValue> batch, String answer, PrintStream out) {
        String driver = null;
        long from = -1;
        long to = -1;
        for (ReceivedValue v : batch) {
            String d = v.value().tagName().substring(0, 1);
            long i = ((Number) v.value().value()).longValue();
            if (d.equals(driver) && i == to + 1) {
                to = i;
                continue;
            }
            if (driver != null) {
                print(out, answer + " " + driver + " " + from + " " + to);
            }
            driver = d;
            from = i;
            to = i;
        }
        if (driver != null) {
            print(out, answer + " " + driver + " " + from + " " + to);
        }
    }

    private static void print(PrintStream out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    private JournalUnderLoad() {
    }
}
