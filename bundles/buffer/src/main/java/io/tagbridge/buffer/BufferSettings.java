package io.tagbridge.buffer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Validated buffer settings. */
record BufferSettings(int capacity, OverflowPolicy policy, long blockTimeoutNanos) {

    static final BufferSettings DEFAULTS = new BufferSettings(100_000, OverflowPolicy.BLOCK,
            TimeUnit.MILLISECONDS.toNanos(1000));

    /** The problems with a configuration, each naming the property; empty when it is valid. */
    static List<String> problems(BufferConfig config) {
        List<String> problems = new ArrayList<>();
        if (config.capacity() < 1) {
            problems.add("capacity is " + config.capacity() + " but must be at least 1");
        }
        if (config.overflowPolicy() == null) {
            problems.add("overflowPolicy must be one of BLOCK, REJECT_NEWEST, DROP_OLDEST");
        }
        if (config.blockTimeoutMillis() < 0) {
            problems.add("blockTimeoutMillis is " + config.blockTimeoutMillis() + " but must be 0 or more");
        }
        return problems;
    }

    static BufferSettings from(BufferConfig config) {
        return new BufferSettings(config.capacity(), config.overflowPolicy(),
                TimeUnit.MILLISECONDS.toNanos(config.blockTimeoutMillis()));
    }
}
