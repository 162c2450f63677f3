package io.tagbridge.metrics;

/**
 * Write outcomes in one-second buckets over a fixed window: recording is O(1) and memory is fixed however
 * many batches are written. Buckets older than the window are reused as time moves on.
 */
final class RollingWindow {

    /** Sums over the window. */
    record Totals(long batches, long values, long latencyNanos, long failures) {
    }

    private final int seconds;
    private final long[] bucketSecond;
    private final long[] batches;
    private final long[] values;
    private final long[] latencyNanos;
    private final long[] failures;

    RollingWindow(int seconds) {
        this.seconds = seconds;
        this.bucketSecond = new long[seconds];
        this.batches = new long[seconds];
        this.values = new long[seconds];
        this.latencyNanos = new long[seconds];
        this.failures = new long[seconds];
        java.util.Arrays.fill(bucketSecond, Long.MIN_VALUE);
    }

    int seconds() {
        return seconds;
    }

    synchronized void written(long nowSecond, int count, long latency) {
        int i = bucket(nowSecond);
        batches[i]++;
        values[i] += count;
        latencyNanos[i] += latency;
    }

    synchronized void failed(long nowSecond) {
        failures[bucket(nowSecond)]++;
    }

    synchronized Totals totals(long nowSecond) {
        long b = 0, v = 0, l = 0, f = 0;
        for (int i = 0; i < seconds; i++) {
            if (nowSecond - bucketSecond[i] < seconds && bucketSecond[i] <= nowSecond) {
                b += batches[i];
                v += values[i];
                l += latencyNanos[i];
                f += failures[i];
            }
        }
        return new Totals(b, v, l, f);
    }

    private int bucket(long second) {
        int i = (int) Math.floorMod(second, (long) seconds);
        if (bucketSecond[i] != second) {
            bucketSecond[i] = second;
            batches[i] = 0;
            values[i] = 0;
            latencyNanos[i] = 0;
            failures[i] = 0;
        }
        return i;
    }
}
