package io.tagbridge.example.driver;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletionStage;

import io.tagbridge.api.IngestResult;
import io.tagbridge.api.RefusalReason;
import io.tagbridge.api.TagIngest;
import io.tagbridge.api.TagValue;

/**
 * The readings a driver still owns: taken from the sensor, not yet taken by Tagbridge. An offer takes all of them or
 * none, so on a refusal they stay here, in order, and go again with the next offer.
 *
 * <p>With durable offers one slice at a time is out, waiting for Tagbridge's answer; it stays the driver's until
 * the answer says it is on disk. Not thread-safe: the driver calls it from its reading thread only.
 */
final class Outbox {

    /** The most values offered at once: well under what Tagbridge takes in one offer. */
    static final int MAX_OFFER = 1_000;

    private final Deque<TagValue> held = new ArrayDeque<>();
    /** The slice a durable offer waits for; empty when none is out. */
    private List<TagValue> out = List.of();
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

    /**
     * Sends the oldest slice held as a durable offer, unless one is out already; the slice stays the driver's
     * until {@link #answered} is called with the answer.
     *
     * @return the answer to come, or null when nothing was sent
     */
    CompletionStage<IngestResult> offerDurablyTo(TagIngest ingest) {
        if (!out.isEmpty() || held.isEmpty()) {
            return null;
        }
        List<TagValue> slice = new ArrayList<>(Math.min(held.size(), MAX_OFFER));
        while (slice.size() < MAX_OFFER && !held.isEmpty()) {
            slice.add(held.removeFirst());
        }
        out = slice;
        return ingest.offerDurably(slice);
    }

    /**
     * Tagbridge answered the durable offer that is out: taken (on disk, or in memory if its journal is off), or
     * refused, when the slice goes back to the front to be offered again.
     *
     * @return the refusal, or null when the slice was taken
     */
    IngestResult answered(IngestResult result) {
        List<TagValue> slice = out;
        out = List.of();
        if (result.allAccepted() || result.reasonCode() == RefusalReason.INVALID) {
            return result.allAccepted() ? null : result;
        }
        for (int i = slice.size() - 1; i >= 0; i--) {
            held.addFirst(slice.get(i));
        }
        return result;
    }

    /** Whether a durable offer waits for its answer. */
    boolean waiting() {
        return !out.isEmpty();
    }

    /** Readings not yet taken: held, and out in a durable offer. */
    int size() {
        return held.size() + out.size();
    }

    long dropped() {
        return dropped;
    }
}
