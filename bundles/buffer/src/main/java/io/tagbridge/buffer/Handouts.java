package io.tagbridge.buffer;

import java.util.ArrayDeque;

import io.tagbridge.buffer.journal.Position;

/**
 * The batches a cursor handed out and its writer has not settled, oldest first: how many values each, and where
 * reading stood after it. Not thread-safe: its cursor guards it.
 */
final class Handouts {

    private record Handout(int count, Position end) {
    }

    private final ArrayDeque<Handout> batches = new ArrayDeque<>();

    void add(int count, Position end) {
        batches.add(new Handout(count, end));
    }

    boolean isEmpty() {
        return batches.isEmpty();
    }

    void clear() {
        batches.clear();
    }

    /**
     * Takes the oldest batches that hold {@code total} values off, as the writer settles them.
     *
     * @return where reading stood after the last of them, or null when {@code total} is 0
     * @throws IllegalStateException when they are not whole batches, or more than were handed out
     */
    Position settle(int total, String cursor) {
        int sum = 0;
        Handout last = null;
        while (sum < total) {
            Handout h = batches.poll();
            if (h == null) {
                throw new IllegalStateException(cursor + " settled " + total + " values but had " + sum + " taken");
            }
            sum += h.count();
            last = h;
        }
        if (sum != total) {
            throw new IllegalStateException(cursor + " settled " + total
                    + " values, which is not a whole number of the batches it took (" + sum + ")");
        }
        return last == null ? null : last.end();
    }
}
