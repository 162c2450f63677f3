package io.tagbridge.sink.jdbc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The table part of a writer configuration, validated; the delivery part goes to the engine as it is. */
record JdbcSettings(String name, TableName table, boolean createTable, boolean partitionByDay, WriteMode writeMode,
        ConflictPolicy conflictPolicy, String gatewayId) {

    /** Problems with the table part of the configuration, each naming its property; empty when it is valid. */
    static List<String> problems(WriterConfig config) {
        List<String> problems = new ArrayList<>();
        String tableProblem = TableName.problem(config.tableName());
        if (tableProblem != null) {
            problems.add("tableName " + tableProblem);
        }
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
        if (config.gatewayId() != null && config.gatewayId().length() > 128) {
            problems.add("gatewayId has " + config.gatewayId().length() + " characters, at most 128 are allowed");
        }
        return problems;
    }

    static JdbcSettings from(WriterConfig config) {
        return new JdbcSettings(config.name(), TableName.parse(config.tableName()), config.createTable(),
                config.partitionByDay(), config.writeMode(), config.conflictPolicy(), gatewayId(config.gatewayId()));
    }

    /**
     * The target's delivery settings, as the engine reads them from the sink's service properties (see
     * {@link io.tagbridge.api.sink.TagSink}): typed as the configuration form declares them.
     */
    static Map<String, Object> targetProperties(WriterConfig config) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", config.name());
        p.put("tagFilter", config.tagFilter() == null ? List.of() : Arrays.asList(config.tagFilter()));
        p.put("outageMode", config.outageMode() == null ? "" : config.outageMode().name());
        p.put("batchSize", config.batchSize());
        p.put("catchUpBatchSize", config.catchUpBatchSize());
        p.put("writeConnections", config.writeConnections());
        p.put("writeIntervalSeconds", config.writeIntervalSeconds());
        p.put("retryMax", config.retryMax());
        p.put("retryDelaySeconds", config.retryDelaySeconds());
        p.put("retryMaxDelaySeconds", config.retryMaxDelaySeconds());
        p.put("outageProbeSeconds", config.outageProbeSeconds());
        p.put("refusedSettingsRetrySeconds", config.refusedSettingsRetrySeconds());
        p.put("stopFlushSeconds", config.stopFlushSeconds());
        p.put("replayValuesPerSecond", config.replayValuesPerSecond());
        p.put("liveFirst", config.liveFirst());
        p.put("liveFirstAfterSeconds", config.liveFirstAfterSeconds());
        p.put("maxAgeHours", config.maxAgeHours());
        p.put("expiredValues", config.expiredValues());
        return p;
    }

    /**
     * The write connections a target may use out of a pool of {@code poolMax} (the pool's service property; null
     * for a pool that does not say): the configured number, but at most all the pool's connections but one.
     */
    static int writeConnections(int configured, Object poolMax) {
        return poolMax instanceof Number max ? Math.min(configured, Math.max(1, max.intValue() - 1)) : configured;
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
}
