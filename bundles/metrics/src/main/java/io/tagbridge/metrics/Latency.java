package io.tagbridge.metrics;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedConcurrentHistogram;
import org.HdrHistogram.Recorder;

/**
 * One latency, in microseconds: since start (for Prometheus' cumulative histograms) and over the rolling window
 * (for percentiles), kept in HdrHistogram's packed form, whose size follows the values seen rather than the
 * range. The window is kept as one histogram per minute.
 */
final class Latency {

    /** Longer latencies are counted as this long: an hour. */
    static final long MAX_MICROS = TimeUnit.HOURS.toMicros(1);
    private static final int DIGITS = 2;

    private record Slice(long minute, Histogram histogram) {
    }

    private final PackedConcurrentHistogram sinceStart = new PackedConcurrentHistogram(MAX_MICROS, DIGITS);
    private final DoubleAdder sumSeconds = new DoubleAdder();
    private final Recorder recent = new Recorder(DIGITS, true);
    private final Deque<Slice> slices = new ArrayDeque<>();
    private final int windowMinutes;

    Latency(int windowSeconds) {
        this.windowMinutes = Math.max(1, (windowSeconds + 59) / 60);
    }

    /** @param micros at most {@link #MAX_MICROS}, as {@link Commit} clamps them */
    void record(long micros) {
        sinceStart.recordValue(micros);
        recent.recordValue(micros);
        sumSeconds.add(micros / 1e6);
    }

    /** The values of the last window minutes (the current one included), merged. */
    synchronized Histogram window(long nowSeconds) {
        long minute = nowSeconds / 60;
        Histogram interval = recent.getIntervalHistogram();
        Slice last = slices.peekLast();
        if (last != null && last.minute() == minute) {
            last.histogram().add(interval);
        } else {
            slices.addLast(new Slice(minute, interval));
        }
        while (!slices.isEmpty() && slices.peekFirst().minute() <= minute - windowMinutes) {
            slices.removeFirst();
        }
        Histogram merged = new Histogram(MAX_MICROS, DIGITS);
        for (Slice slice : slices) {
            merged.add(slice.histogram());
        }
        return merged;
    }

    /** The percentile over the window, in milliseconds; 0 when the window is empty. */
    static double millis(Histogram window, double percentile) {
        return window.getTotalCount() == 0 ? 0 : window.getValueAtPercentile(percentile) / 1000.0;
    }

    /** How many values since start took at most {@code seconds}. */
    long countAtMost(double seconds) {
        return sinceStart.getCountBetweenValues(0, Math.min(MAX_MICROS, (long) (seconds * 1e6)));
    }

    long count() {
        return sinceStart.getTotalCount();
    }

    double sumSeconds() {
        return sumSeconds.sum();
    }
}
