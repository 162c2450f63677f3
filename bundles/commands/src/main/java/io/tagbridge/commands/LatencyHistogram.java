package io.tagbridge.commands;

/**
 * Latencies in microseconds, counted in buckets that grow with the value: exact below 64 µs, then 64 buckets per
 * power of two, so any percentile is within 1.6 % of the truth. Memory is fixed however many values are
 * recorded: a load test at full speed records millions.
 */
final class LatencyHistogram {

    private static final int SUB_BUCKETS = 64;
    private static final int SUB_BITS = 6;

    private final long[] counts = new long[SUB_BUCKETS * (64 - SUB_BITS + 1)];
    private long total;
    private long sum;
    private long max;

    synchronized void record(long micros) {
        long v = Math.max(0, micros);
        counts[index(v)]++;
        total++;
        sum += v;
        max = Math.max(max, v);
    }

    synchronized long count() {
        return total;
    }

    synchronized double averageMillis() {
        return total == 0 ? 0 : sum / 1000.0 / total;
    }

    /**
     * The smallest recorded latency that at least {@code percent} % of the values do not exceed, in milliseconds;
     * given as the top of its bucket, so it errs on the slow side. 0 when nothing was recorded.
     */
    synchronized double percentileMillis(double percent) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percent / 100.0 * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(upperBound(i), max) / 1000.0;
            }
        }
        return max / 1000.0;
    }

    static int index(long micros) {
        if (micros < SUB_BUCKETS) {
            return (int) micros;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(micros);
        int sub = (int) (micros >>> (exponent - SUB_BITS)) & (SUB_BUCKETS - 1);
        return SUB_BUCKETS + (exponent - SUB_BITS) * SUB_BUCKETS + sub;
    }

    static long upperBound(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int exponent = (index - SUB_BUCKETS) / SUB_BUCKETS + SUB_BITS;
        long sub = (index - SUB_BUCKETS) % SUB_BUCKETS;
        return ((SUB_BUCKETS + sub + 1) << (exponent - SUB_BITS)) - 1;
    }
}
