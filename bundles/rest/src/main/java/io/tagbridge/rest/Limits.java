package io.tagbridge.rest;

import java.util.concurrent.atomic.AtomicInteger;

/** The bounds of a request, from the REST configuration; an instance Jersey built by itself has the defaults. */
record Limits(long maxBytes, int maxValues, int concurrentReads) {

    private static final int DEFAULT_KILOBYTES = 2048;
    private static final int DEFAULT_VALUES = 10_000;
    private static final int DEFAULT_SLOTS = 4;

    /**
     * Requests being read now, over every instance of the resource: Jersey may build instances of its own
     * beside the component's, and the bound must hold across them.
     */
    private static final AtomicInteger READING = new AtomicInteger();

    static Limits of(RestConfig config) {
        return config == null ? new Limits(DEFAULT_KILOBYTES * 1024L, DEFAULT_VALUES, DEFAULT_SLOTS)
                : new Limits(Math.max(1, config.maxRequestKilobytes()) * 1024L, Math.max(1,
                        config.maxValuesPerRequest()), Math.max(1, config.concurrentIngestRequests()));
    }

    /** Takes a reading slot; false when all are taken. A true answer must be followed by {@link #release}. */
    boolean tryAcquire() {
        if (READING.incrementAndGet() > concurrentReads) {
            READING.decrementAndGet();
            return false;
        }
        return true;
    }

    void release() {
        READING.decrementAndGet();
    }
}
