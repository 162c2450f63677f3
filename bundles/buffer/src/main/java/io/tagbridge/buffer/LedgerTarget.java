package io.tagbridge.buffer;

import java.util.List;

/**
 * A target as the ledger keeps it: from where it reads again after a restart, and its counters as they stood
 * there.
 *
 * @param seq             its durable position: everything before it is settled for good
 * @param routed          values accepted for it up to the ledger's head
 * @param deletedAtMillis when its configuration was deleted, -1 while it exists
 * @param liveFrom        where its live lane's split was (see {@link LiveLane}), -1 when it had none: for the
 *                        record only, a start reads again from {@code seq}
 * @param liveTo          up to where the live lane had written from {@code liveFrom}
 */
record LedgerTarget(String name, List<String> filter, long seq, Counters counters, long routed, long deletedAtMillis,
        long liveFrom, long liveTo) {

    LedgerTarget(String name, List<String> filter, long seq, Counters counters, long deletedAtMillis) {
        this(name, filter, seq, counters, 0, deletedAtMillis);
    }

    LedgerTarget(String name, List<String> filter, long seq, Counters counters, long routed, long deletedAtMillis) {
        this(name, filter, seq, counters, routed, deletedAtMillis, -1, -1);
    }

    LedgerTarget withRouted(long value) {
        return new LedgerTarget(name, filter, seq, counters, value, deletedAtMillis, liveFrom, liveTo);
    }

    LedgerTarget withLive(long from, long to) {
        return new LedgerTarget(name, filter, seq, counters, routed, deletedAtMillis, from, to);
    }

    /** Whether its live lane had written values ahead of its position. */
    boolean liveAhead() {
        return liveFrom >= 0 && liveTo > liveFrom;
    }
}
