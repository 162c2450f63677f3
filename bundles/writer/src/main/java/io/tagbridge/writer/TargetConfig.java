package io.tagbridge.writer;

import io.tagbridge.api.sink.OutageMode;

/**
 * A target's settings as the engine reads them from its sink's service properties (see
 * {@link io.tagbridge.api.sink.TagSink}). The defaults here are the ones a sink gets for a property it does not
 * set; a sink's own configuration form shows the same ones (a test holds the JDBC sink's to them).
 */
@interface TargetConfig {

    String name();

    String[] tagFilter() default {};

    OutageMode outageMode() default OutageMode.KEEP;

    int batchSize() default 500;

    int catchUpBatchSize() default 5000;

    int writeConnections() default 2;

    double writeIntervalSeconds() default 0.5;

    int retryMax() default 3;

    double retryDelaySeconds() default 1.0;

    double retryMaxDelaySeconds() default 30.0;

    double outageProbeSeconds() default 5.0;

    double refusedSettingsRetrySeconds() default 300.0;

    double stopFlushSeconds() default 5.0;

    int replayValuesPerSecond() default 5000;

    boolean liveFirst() default false;

    double liveFirstAfterSeconds() default 10.0;

    double maxAgeHours() default 0;

    String expiredValues() default "DROP";
}
