package io.tagbridge.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import io.tagbridge.api.monitor.MetricsSample;
import io.tagbridge.api.monitor.MetricsSnapshot;

/**
 * The last minutes second by second, for the dashboard's plots: a sample a second of what the counters moved by,
 * where the backlogs stand, and the latency percentiles of that second.
 */
final class History {

    private final int keep;
    private final Deque<MetricsSample> samples = new ArrayDeque<>();
    private final Recorder write = new Recorder(2, true);
    private final Recorder sourceToCommit = new Recorder(2, true);
    private Map<String, Long> lastCommitted;
    private long lastRefused;
    private long lastDropped;

    History(int seconds) {
        this.keep = seconds;
    }

    void written(Commit commit) {
        write.recordValue(commit.writeMicros());
        for (long micros : commit.sourceToCommitMicros()) {
            sourceToCommit.recordValue(micros);
        }
    }

    /** Takes the second that just ended; the first call only notes where the counters stand. */
    synchronized void sample(MetricsSnapshot m, Instant now) {
        Histogram writes = write.getIntervalHistogram();
        Histogram commits = sourceToCommit.getIntervalHistogram();
        Map<String, Long> committed = new HashMap<>();
        Map<String, Long> backlog = new HashMap<>();
        m.targets().forEach((name, t) -> {
            committed.put(name, t.valuesWritten() + t.valuesAlreadyStored());
            backlog.put(name, t.backlog());
        });
        long refused = m.totals().valuesRefused();
        long dropped = m.totals().valuesDropped();
        if (lastCommitted != null) {
            Map<String, Long> perTarget = new HashMap<>();
            long total = 0;
            for (Map.Entry<String, Long> e : committed.entrySet()) {
                long moved = Math.max(0, e.getValue() - lastCommitted.getOrDefault(e.getKey(), e.getValue()));
                perTarget.put(e.getKey(), moved);
                total += moved;
            }
            samples.addLast(new MetricsSample(secondOf(now), total, Math.max(0, refused - lastRefused),
                    Math.max(0, dropped - lastDropped), Latency.millis(writes, 50), Latency.millis(writes, 99),
                    Latency.millis(commits, 99), perTarget, backlog));
            while (samples.size() > keep) {
                samples.removeFirst();
            }
        }
        lastCommitted = committed;
        lastRefused = refused;
        lastDropped = dropped;
    }

    /**
     * When a sample was taken: one second after the last one while the ticks keep time, so that a tick a little
     * late or early never leaves a second out of the plots or shows one twice; after a longer stall, the clock's.
     */
    private Instant secondOf(Instant now) {
        MetricsSample last = samples.peekLast();
        if (last == null) {
            return now;
        }
        Instant next = last.at().plusSeconds(1);
        return Math.abs(Duration.between(next, now).toMillis()) < 1_000 ? next : now;
    }

    synchronized List<MetricsSample> samples() {
        return List.copyOf(samples);
    }
}
