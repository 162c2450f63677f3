package io.tagbridge.rest;

import java.util.concurrent.atomic.AtomicInteger;

/** The bounds of a request, from the REST configuration; an instance Jersey built by itself has the defaults. */
record Limits(long maxBytes, int maxValues, int concurrentReads) {


    /**
     * Requests being read now, over every instance of the resource: Jersey may build instances of its own
     * beside the component's, and the bound must hold across them.
     */
    private static final AtomicInteger READING = new AtomicInteger();

    static Limits of(RestConfig config) {
        return config == null ? new Limits(defaultOf("maxRequestKilobytes") * 1024L, defaultOf("maxValuesPerRequest"),
                defaultOf("concurrentIngestRequests"))
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

    /** A default as the configuration form declares it: the one place a default is written. */
    private static int defaultOf(String element) {
        try {
            return (Integer) RestConfig.class.getMethod(element).getDefaultValue();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("RestConfig has no " + element, e);
        }
    }
}
