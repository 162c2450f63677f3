package io.tagbridge.writer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A validated writer configuration. */
record WriterSettings(String name, TableName table, boolean createTable, boolean partitionByDay, WriteMode writeMode,
        String gatewayId, int batchSize, Duration writeInterval, int retryMax, Duration retryDelay,
        Duration retryMaxDelay, Duration outageProbe, Duration refusedSettingsRetry, Duration stopFlush,
        List<String> tagFilter, OutageMode outageMode, ConflictPolicy conflictPolicy, int replayValuesPerSecond) {

    /** Problems with the configuration, each naming its property; empty when it is valid. */
    static List<String> problems(WriterConfig config) {
        List<String> problems = new ArrayList<>();
        if (config.name() == null || config.name().isBlank()) {
            problems.add("name is empty");
        }
        String tableProblem = TableName.problem(config.tableName());
        if (tableProblem != null) {
            problems.add("tableName " + tableProblem);
        }
        if (config.batchSize() < 1 || config.batchSize() > 100_000) {
            problems.add("batchSize is " + config.batchSize() + " but must be between 1 and 100000");
        }
        positive(problems, "writeIntervalSeconds", config.writeIntervalSeconds());
        if (config.retryMax() < 0) {
            problems.add("retryMax is " + config.retryMax() + " but must be 0 or more");
        }
        if (!(config.retryDelaySeconds() >= 0)) {
            problems.add("retryDelaySeconds is " + config.retryDelaySeconds() + " but must be 0 or more");
        }
        if (!(config.retryMaxDelaySeconds() >= config.retryDelaySeconds())) {
            problems.add("retryMaxDelaySeconds (" + config.retryMaxDelaySeconds()
                    + ") must not be below retryDelaySeconds (" + config.retryDelaySeconds() + ")");
        }
        positive(problems, "outageProbeSeconds", config.outageProbeSeconds());
        positive(problems, "refusedSettingsRetrySeconds", config.refusedSettingsRetrySeconds());
        if (config.writeMode() == null) {
            problems.add("writeMode must be one of INSERT_FIRST, MERGE, IGNORE_DUPLICATES_HINT, INSERT");
        }
        if (config.conflictPolicy() == null) {
            problems.add("conflictPolicy must be one of KEEP_FIRST, KEEP_LAST, BACKUP");
        } else if (config.conflictPolicy() != ConflictPolicy.KEEP_FIRST && (config.writeMode() == WriteMode.MERGE
                || config.writeMode() == WriteMode.IGNORE_DUPLICATES_HINT)) {
            problems.add("conflictPolicy " + config.conflictPolicy() + " needs writeMode INSERT_FIRST or INSERT, "
                    + "but writeMode is " + config.writeMode() + ": MERGE and the hint always keep the stored row");
        }
        if (config.replayValuesPerSecond() < 1) {
            problems.add("replayValuesPerSecond is " + config.replayValuesPerSecond() + " but must be 1 or more");
        }
        if (config.gatewayId() != null && config.gatewayId().length() > 128) {
            problems.add("gatewayId has " + config.gatewayId().length() + " characters, at most 128 are allowed");
        }
        if (config.outageMode() == null) {
            problems.add("outageMode must be one of KEEP, BACKUP");
        }
        if (!(config.stopFlushSeconds() >= 0)) {
            problems.add("stopFlushSeconds is " + config.stopFlushSeconds() + " but must be 0 or more");
        }
        return problems;
    }

    /** The tag filter's globs; one entry may hold several, separated by commas, as an etc file writes them. */
    static List<String> globs(String[] tagFilter) {
        return tagFilter == null ? List.of() : java.util.Arrays.stream(tagFilter).filter(java.util.Objects::nonNull)
                .flatMap(entry -> java.util.Arrays.stream(entry.split(","))).map(String::trim)
                .filter(glob -> !glob.isEmpty()).toList();
    }

    static WriterSettings from(WriterConfig config) {
        return new WriterSettings(config.name(), TableName.parse(config.tableName()), config.createTable(),
                config.partitionByDay(), config.writeMode(), gatewayId(config.gatewayId()), config.batchSize(),
                seconds(config.writeIntervalSeconds()), config.retryMax(), seconds(config.retryDelaySeconds()),
                seconds(config.retryMaxDelaySeconds()), seconds(config.outageProbeSeconds()),
                seconds(config.refusedSettingsRetrySeconds()), seconds(config.stopFlushSeconds()),
                globs(config.tagFilter()), config.outageMode(),
                config.conflictPolicy(), config.replayValuesPerSecond());
    }

    private static String gatewayId(String configured) {
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "gateway";
        }
    }

    private static void positive(List<String> problems, String property, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            problems.add(property + " is " + value + " but must be more than 0");
        }
    }

    private static Duration seconds(double s) {
        return Duration.ofNanos(Math.round(s * 1e9));
    }
}
