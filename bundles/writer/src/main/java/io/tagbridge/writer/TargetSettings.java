package io.tagbridge.writer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.tagbridge.api.sink.OutageMode;

/**
 * A target's validated settings, read from its sink's service properties; a property the sink does not set takes
 * {@link TargetConfig}'s default.
 */
record TargetSettings(String name, int batchSize, Duration writeInterval, int retryMax, Duration retryDelay,
        Duration retryMaxDelay, Duration outageProbe, Duration refusedSettingsRetry, Duration stopFlush,
        List<String> tagFilter, OutageMode outageMode, int replayValuesPerSecond, int catchUpBatchSize,
        int writeConnections, LiveFirst liveFirst, Expiry expiry) {

    /** Settings whose values are kept however old. */
    TargetSettings(String name, int batchSize, Duration writeInterval, int retryMax, Duration retryDelay,
            Duration retryMaxDelay, Duration outageProbe, Duration refusedSettingsRetry, Duration stopFlush,
            List<String> tagFilter, OutageMode outageMode, int replayValuesPerSecond, int catchUpBatchSize,
            int writeConnections, LiveFirst liveFirst) {
        this(name, batchSize, writeInterval, retryMax, retryDelay, retryMaxDelay, outageProbe, refusedSettingsRetry,
                stopFlush, tagFilter, outageMode, replayValuesPerSecond, catchUpBatchSize, writeConnections,
                liveFirst, Expiry.OFF);
    }

    /**
     * How long values are kept once accepted (null: however long), and whether they go to an archive file when they
     * expire (see {@link io.tagbridge.api.pipeline.TargetCursor#expireAfter}).
     */
    record Expiry(Duration maxAge, boolean archive) {
        static final Expiry OFF = new Expiry(null, false);
    }

    /**
     * Whether values accepted while the backlog is older than {@code after} are written first, through a live lane
     * of their own (see {@link io.tagbridge.api.pipeline.TargetCursor#live}).
     */
    record LiveFirst(boolean on, Duration after) {
        static final LiveFirst OFF = new LiveFirst(false, Duration.ofSeconds(10));
    }

    /** More connections than this for one target would only crowd the database's sessions. */
    static final int MAX_WRITE_CONNECTIONS = 16;

    /**
     * How many values a batch takes while values wait behind: the catch-up batch size, never below the batch size.
     */
    int batchSizeBehind() {
        return Math.max(batchSize, catchUpBatchSize);
    }

    /** The settings, or the problems that keep the target from starting, each naming its property. */
    record Read(TargetSettings settings, List<String> problems) {
    }

    static Read read(Map<String, ?> properties) {
        Reader in = new Reader(properties);
        String name = in.text("name");
        if (name == null || name.isBlank()) {
            in.problems.add("name is empty");
        }
        int batchSize = in.integer("batchSize");
        if (batchSize < 1 || batchSize > 100_000) {
            in.problems.add("batchSize is " + batchSize + " but must be between 1 and 100000");
        }
        int catchUpBatchSize = in.integer("catchUpBatchSize");
        if (catchUpBatchSize < 1 || catchUpBatchSize > 100_000) {
            in.problems.add("catchUpBatchSize is " + catchUpBatchSize + " but must be between 1 and 100000");
        }
        int writeConnections = in.integer("writeConnections");
        if (writeConnections < 1 || writeConnections > MAX_WRITE_CONNECTIONS) {
            in.problems.add("writeConnections is " + writeConnections + " but must be between 1 and "
                    + MAX_WRITE_CONNECTIONS);
        }
        double writeInterval = in.positive("writeIntervalSeconds");
        int retryMax = in.integer("retryMax");
        if (retryMax < 0) {
            in.problems.add("retryMax is " + retryMax + " but must be 0 or more");
        }
        double retryDelay = in.decimal("retryDelaySeconds");
        if (!(retryDelay >= 0)) {
            in.problems.add("retryDelaySeconds is " + retryDelay + " but must be 0 or more");
        }
        double retryMaxDelay = in.decimal("retryMaxDelaySeconds");
        if (!(retryMaxDelay >= retryDelay)) {
            in.problems.add("retryMaxDelaySeconds (" + retryMaxDelay + ") must not be below retryDelaySeconds ("
                    + retryDelay + ")");
        }
        double outageProbe = in.positive("outageProbeSeconds");
        double refusedRetry = in.positive("refusedSettingsRetrySeconds");
        double stopFlush = in.decimal("stopFlushSeconds");
        if (!(stopFlush >= 0)) {
            in.problems.add("stopFlushSeconds is " + stopFlush + " but must be 0 or more");
        }
        int replayRate = in.integer("replayValuesPerSecond");
        if (replayRate < 1) {
            in.problems.add("replayValuesPerSecond is " + replayRate + " but must be 1 or more");
        }
        OutageMode outageMode = in.outageMode();
        boolean liveFirst = in.bool("liveFirst");
        double liveFirstAfter = in.positive("liveFirstAfterSeconds");
        double maxAgeHours = in.decimal("maxAgeHours");
        if (!(maxAgeHours >= 0) || Double.isInfinite(maxAgeHours)) {
            in.problems.add("maxAgeHours is " + maxAgeHours + " but must be 0 (keep values however old) or more");
        }
        String expired = String.valueOf(in.text("expiredValues")).trim().toUpperCase(Locale.ROOT);
        if (!expired.equals("DROP") && !expired.equals("ARCHIVE")) {
            in.problems.add("expiredValues is '" + in.text("expiredValues") + "' but must be one of DROP, ARCHIVE");
        }
        if (!in.problems.isEmpty()) {
            return new Read(null, List.copyOf(in.problems));
        }
        return new Read(new TargetSettings(name, batchSize, seconds(writeInterval), retryMax, seconds(retryDelay),
                seconds(retryMaxDelay), seconds(outageProbe), seconds(refusedRetry), seconds(stopFlush),
                globs(properties.get("tagFilter")), outageMode, replayRate, catchUpBatchSize, writeConnections,
                new LiveFirst(liveFirst, seconds(liveFirstAfter)), new Expiry(maxAgeHours == 0 ? null
                        : seconds(maxAgeHours * 3600), expired.equals("ARCHIVE"))), List.of());
    }

    /**
     * The tag filter's globs: a String[], a collection or one string; one entry may hold several, separated by
     * commas, as an etc file writes them.
     */
    static List<String> globs(Object tagFilter) {
        Collection<?> entries = tagFilter instanceof String[] array ? Arrays.asList(array)
                : tagFilter instanceof Collection<?> collection ? collection
                : tagFilter == null ? List.of() : List.of(tagFilter);
        return entries.stream().filter(Objects::nonNull).flatMap(entry -> Arrays.stream(entry.toString().split(",")))
                .map(String::trim).filter(glob -> !glob.isEmpty()).toList();
    }

    private static Duration seconds(double s) {
        return Duration.ofNanos(Math.round(s * 1e9));
    }

    /** Reads properties as ConfigAdmin and etc files give them: typed, or as text. */
    private static final class Reader {

        private final Map<String, ?> properties;
        private final List<String> problems = new ArrayList<>();

        Reader(Map<String, ?> properties) {
            this.properties = properties;
        }

        private Object value(String key) {
            Object value = properties.get(key);
            if (value != null) {
                return value;
            }
            try {
                return TargetConfig.class.getMethod(key).getDefaultValue();
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException("no target setting " + key, e);
            }
        }

        String text(String key) {
            Object value = value(key);
            return value == null ? null : value.toString();
        }

        int integer(String key) {
            Object value = value(key);
            if (value instanceof Number n) {
                return n.intValue();
            }
            try {
                return Integer.parseInt(value.toString().trim());
            } catch (NumberFormatException e) {
                problems.add(key + " is '" + value + "' but must be a whole number");
                return 0;
            }
        }

        double decimal(String key) {
            Object value = value(key);
            if (value instanceof Number n) {
                return n.doubleValue();
            }
            try {
                return Double.parseDouble(value.toString().trim());
            } catch (NumberFormatException e) {
                problems.add(key + " is '" + value + "' but must be a number");
                return Double.NaN;
            }
        }

        double positive(String key) {
            double value = decimal(key);
            if (!Double.isNaN(value) && (!(value > 0) || Double.isInfinite(value))) {
                problems.add(key + " is " + value + " but must be more than 0");
            }
            return value;
        }

        boolean bool(String key) {
            Object value = value(key);
            if (value instanceof Boolean b) {
                return b;
            }
            String text = value.toString().trim();
            if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                problems.add(key + " is '" + value + "' but must be true or false");
            }
            return Boolean.parseBoolean(text);
        }

        OutageMode outageMode() {
            Object value = value("outageMode");
            if (value instanceof OutageMode mode) {
                return mode;
            }
            try {
                return OutageMode.valueOf(value.toString().trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add("outageMode is '" + value + "' but must be one of KEEP, BACKUP");
                return null;
            }
        }
    }
}
