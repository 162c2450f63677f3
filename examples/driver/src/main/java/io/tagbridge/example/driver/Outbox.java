package io.tagbridge.example.driver;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import io.tagbridge.api.IngestResult;
import io.tagbridge.api.RefusalReason;
import io.tagbridge.api.TagIngest;
import io.tagbridge.api.TagValue;

/**
 * The readings a driver still owns: taken from the sensor, not yet taken by Tagbridge. An offer takes all of them or
 * none, so on a refusal they stay here, in order, and go again with the next offer.
 */
final class Outbox {

    /** The most values offered at once: well under what Tagbridge takes in one offer. */
    static final int MAX_OFFER = 1_000;

    private final Deque<TagValue> held = new ArrayDeque<>();
    private final int capacity;
    private long dropped;

    Outbox(int capacity) {
        this.capacity = capacity;
    }

    /** Keeps a reading; when the box is full, the oldest one makes room and is counted as dropped. */
    void add(TagValue value) {
        if (held.size() >= capacity) {
            held.removeFirst();
            dropped++;
        }
        held.addLast(value);
    }

    /**
     * Offers what is held, oldest first, in slices of at most {@link #MAX_OFFER}, and stops at the first refusal.
     *
     * @return the refusal that stopped it, or null when everything was taken
     */
    IngestResult offerTo(TagIngest ingest) {
        while (!held.isEmpty()) {
            List<TagValue> slice = new ArrayList<>(Math.min(held.size(), MAX_OFFER));
            held.stream().limit(MAX_OFFER).forEach(slice::add);
            IngestResult result = ingest.offer(slice);
            if (!result.allAccepted()) {
                if (result.reasonCode() == RefusalReason.INVALID) {
                    // Tagbridge counted them as refused, with the reason; offering them again cannot help.
                    slice.forEach(v -> held.removeFirst());
                }
                return result;
            }
            slice.forEach(v -> held.removeFirst());
        }
        return null;
    }

    int size() {
        return held.size();
    }

    long dropped() {
        return dropped;
    }
}
