package io.tagbridge.buffer;

import java.util.List;

/**
 * A target as the ledger keeps it: from where it reads again after a restart, and its counters as they stood
 * there.
 *
 * @param seq           its durable position: everything before it is settled for good
 * @param routed        values accepted for it up to the ledger's head
 * @param deletedAtMillis when its configuration was deleted, -1 while it exists
 */
record LedgerTarget(String name, List<String> filter, long seq, Counters counters, long routed, long deletedAtMillis) {

    LedgerTarget(String name, List<String> filter, long seq, Counters counters, long deletedAtMillis) {
        this(name, filter, seq, counters, 0, deletedAtMillis);
    }

    LedgerTarget withRouted(long value) {
        return new LedgerTarget(name, filter, seq, counters, value, deletedAtMillis);
    }
}
