package io.tagbridge.api.pipeline;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.osgi.annotation.versioning.ProviderType;

import io.tagbridge.api.RefusalReason;

/** The consumer side of the buffer that drivers fill through {@link io.tagbridge.api.TagIngest}. */
@ProviderType
public interface TagBuffer {

    /**
     * Waits until at least {@code batchSize} values are buffered or the timeout passes, then moves up to
     * {@code batchSize} of them, oldest first, into {@code sink}.
     *
     * @return how many values were moved
     */
    int drain(Collection<? super ReceivedValue> sink, int batchSize, long timeout, TimeUnit unit)
            throws InterruptedException;

    /**
     * Puts values a consumer took but could not deliver back at the head of the buffer, ahead of newer
     * ones and regardless of the capacity, so that they are not lost when a consumer stops.
     */
    void returnUndelivered(List<ReceivedValue> values);

    /** Wakes a consumer blocked in {@link #drain}, for example so it can stop promptly. */
    void wakeConsumers();

    BufferStatus status();

    /**
     * Counts values that a door in front of the buffer refused before offering them, such as malformed values
     * posted over HTTP, so that every value offered is counted at the door once: accepted or refused with a reason.
     */
    void countRefused(int values, RefusalReason reason, String detail);
}
