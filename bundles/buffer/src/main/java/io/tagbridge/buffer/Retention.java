package io.tagbridge.buffer;

import java.io.IOException;

import io.tagbridge.buffer.journal.Journal;

/**
 * Deletes the journal's values once no one needs them: no target, and, with the journal on disk, not the ledger
 * on disk either, so that a power cut never leaves a ledger that points into a deleted segment.
 */
final class Retention {

    private final Journal journal;
    private final Door door;
    private final Signals signals;
    private final JournalSync sync;
    /** The newest ledger on disk: segments go only once it no longer needs them. */
    private volatile Ledger saved;

    Retention(Journal journal, Door door, Signals signals, JournalSync sync) {
        this.journal = journal;
        this.door = door;
        this.signals = signals;
        this.sync = sync;
    }

    /** A ledger was written to disk. */
    void saved(Ledger ledger) {
        saved = ledger;
    }

    /** Deletes what may go, now; called by the sync thread's round, right after it wrote the ledger. */
    void releaseNow() throws IOException {
        if (journal.releaseBefore(releasable()) > 0) {
            signals.signalRoom();
        }
    }

    /**
     * Deletes what no target needs any more: at once for a journal in memory; for one on disk through a round of
     * the sync thread, which writes the ledger first.
     */
    void release() throws IOException {
        if (journal.persistent()) {
            sync.awaitRound();
        } else {
            releaseNow();
        }
    }

    private long releasable() {
        if (door.routing().length == 0) {
            // No target yet (after a start without a readable ledger, targets come as their writers start):
            // nothing tells what they will need, so everything stays.
            return journal.firstSeq();
        }
        Ledger onDisk = saved;
        long needed = door.oldestNeeded();
        return journal.persistent() && onDisk != null ? Math.min(needed, onDisk.oldestNeeded()) : needed;
    }
}
