package io.tagbridge.sink.jdbc;

import java.lang.annotation.Annotation;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.sink.OutageMode;
import io.tagbridge.testkit.ConfigDefaults;

/** Values to write, an inserter into TAG_VALUES, and a writer configuration from the real defaults. */
final class Fixtures {

    private Fixtures() {
    }

    static final Instant RECEIVED = Instant.parse("2026-01-01T00:00:05Z");

    static List<ReceivedValue> values(int from, int to) {
        return IntStream.range(from, to)
                .mapToObj(i -> received(TagValue.of("tag" + i, Instant.parse("2026-01-01T00:00:00Z").plusMillis(i),
                        (long) i, Quality.GOOD)))
                .toList();
    }

    static ReceivedValue received(TagValue value) {
        return new ReceivedValue(value, ReceivedValue.micros(RECEIVED));
    }

    static BatchInserter inserter(DataSource db, WriteMode mode, ConflictPolicy conflicts) {
        return new BatchInserter(db, new TagTable(TableName.parse("TAG_VALUES"), false), true, mode, conflicts,
                "gw-1", new Dialects());
    }

    /** A writer's configuration with the real defaults (see ConfigDefaults) but for its batch size and table. */
    static WriterConfig config(int batchSize, String table) {
        return new WriterConfig() {
            public Class<? extends Annotation> annotationType() { return WriterConfig.class; }
            public String name() { return d("name"); }
            public String webconsole_configurationFactory_nameHint() { return d("webconsole_configurationFactory_nameHint"); }
            public String dataSource_target() { return d("dataSource_target"); }
            public String tableName() { return table; }
            public boolean createTable() { return d("createTable"); }
            public int batchSize() { return batchSize; }
            public int catchUpBatchSize() { return d("catchUpBatchSize"); }
            public int writeConnections() { return d("writeConnections"); }
            public boolean liveFirst() { return d("liveFirst"); }
            public double liveFirstAfterSeconds() { return d("liveFirstAfterSeconds"); }
            public double maxAgeHours() { return d("maxAgeHours"); }
            public String expiredValues() { return d("expiredValues"); }
            public double writeIntervalSeconds() { return d("writeIntervalSeconds"); }
            public int retryMax() { return d("retryMax"); }
            public double retryDelaySeconds() { return d("retryDelaySeconds"); }
            public double retryMaxDelaySeconds() { return d("retryMaxDelaySeconds"); }
            public double outageProbeSeconds() { return d("outageProbeSeconds"); }
            public double refusedSettingsRetrySeconds() { return d("refusedSettingsRetrySeconds"); }
            public boolean partitionByDay() { return d("partitionByDay"); }
            public WriteMode writeMode() { return d("writeMode"); }
            public ConflictPolicy conflictPolicy() { return d("conflictPolicy"); }
            public int replayValuesPerSecond() { return d("replayValuesPerSecond"); }
            public String gatewayId() { return d("gatewayId"); }
            public double stopFlushSeconds() { return d("stopFlushSeconds"); }
            public String[] tagFilter() { return d("tagFilter"); }
            public OutageMode outageMode() { return d("outageMode"); }

            private <T> T d(String element) {
                return ConfigDefaults.of(WriterConfig.class, element);
            }
        };
    }
}
