package io.tagbridge.rest;

import java.util.concurrent.Semaphore;

/** The bounds of a request, from the REST configuration; an instance Jersey built by itself has the defaults. */
record Limits(long maxBytes, int maxValues, Semaphore ingestSlots) {

    private static final int DEFAULT_KILOBYTES = 2048;
    private static final int DEFAULT_VALUES = 10_000;
    private static final int DEFAULT_SLOTS = 4;

    static Limits of(RestConfig config) {
        return config == null ? new Limits(DEFAULT_KILOBYTES * 1024L, DEFAULT_VALUES, new Semaphore(DEFAULT_SLOTS))
                : new Limits(Math.max(1, config.maxRequestKilobytes()) * 1024L, Math.max(1,
                        config.maxValuesPerRequest()), new Semaphore(Math.max(1, config.concurrentIngestRequests())));
    }
}
