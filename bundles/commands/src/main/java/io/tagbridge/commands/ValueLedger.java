package io.tagbridge.commands;

import java.util.BitSet;

/**
 * Which of a load test's values were accepted, and which were found again in the database or a backup file.
 * Each value carries its sequence number, so a value found twice, or found although it was refused, shows.
 */
final class ValueLedger {

    private final BitSet accepted = new BitSet();
    private final BitSet found = new BitSet();
    private long duplicates;
    private long unexpected;

    synchronized void accepted(long first, int count) {
        accepted.set(Math.toIntExact(first), Math.toIntExact(first + count));
    }

    /** A stored copy of value {@code seq} was found. */
    synchronized void found(long seq) {
        if (seq < 0 || seq > Integer.MAX_VALUE || !accepted.get((int) seq)) {
            unexpected++;
        } else if (found.get((int) seq)) {
            duplicates++;
        } else {
            found.set((int) seq);
        }
    }

    /**
     * A copy of value {@code seq} was found in a backup file. A value both in the table and in a backup file is not
     * stored twice: replaying the file finds its row stored already.
     */
    synchronized void foundInBackup(long seq) {
        if (seq < 0 || seq > Integer.MAX_VALUE || !accepted.get((int) seq)) {
            unexpected++;
        } else {
            found.set((int) seq);
        }
    }

    synchronized long accepted() {
        return accepted.cardinality();
    }

    /** Accepted values found neither in the database nor in a backup file. */
    synchronized long unaccounted() {
        return accepted.cardinality() - found.cardinality();
    }

    /** Extra stored copies of accepted values. */
    synchronized long duplicates() {
        return duplicates;
    }

    /** Stored values that were refused, or that the load test never offered. */
    synchronized long unexpected() {
        return unexpected;
    }
}
