package io.tagbridge.buffer;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.buffer.journal.Journal;

/**
 * A pending change of storage (the journal moved or switched on or off): once every target keeps up with the
 * stream, closes the door, so that the backlog can reach nothing, and runs the change once everything is settled
 * for good. Under a steady stream the backlog never reaches nothing by itself; with the door closed, what is
 * offered meanwhile is refused (STOPPING) and stays its producer's, rather than be left behind in the storage
 * being given up. A door closed for {@value #DRAIN_CLOSED_SECONDS} s without the backlog settling (a database that
 * went away) opens again.
 */
final class StorageChange {

    private static final Logger LOG = LoggerFactory.getLogger(StorageChange.class);
    private static final long DRAIN_CLOSED_SECONDS = 30;
    /** A target this close to the journal's end keeps up: a change of storage may close the door for it. */
    private static final long KEEPING_UP_VALUES = 5_000;

    private final Journal journal;
    private final Door door;
    private volatile Runnable onDrained;

    StorageChange(Journal journal, Door door) {
        this.journal = journal;
        this.door = door;
    }

    /** Runs {@code action} once, as soon as every target has settled everything durably. */
    void whenDrained(Runnable action) {
        onDrained = action;
    }

    /** A step towards the change, each periodic round. */
    void step() {
        Runnable action = onDrained;
        if (action == null) {
            return;
        }
        if (drained()) {
            door.closeForChange();
            if (drained()) { // nothing slipped in before the door closed: nothing is left behind
                onDrained = null;
                action.run();
                return;
            }
        }
        long closedAt = door.closedAt();
        if (closedAt == 0 && keepingUp()) {
            door.closeForChange();
            LOG.info("Buffer: every writer keeps up; values are refused for a moment while the last ones are "
                    + "written and the buffer changes where it keeps values");
        } else if (closedAt != 0 && System.nanoTime() - closedAt > TimeUnit.SECONDS.toNanos(DRAIN_CLOSED_SECONDS)) {
            door.reopenAfterChange();
            LOG.warn("Buffer: the backlog was not written within {} s of closing the door; values are taken again, "
                    + "and the change of storage waits until the writers keep up again", DRAIN_CLOSED_SECONDS);
        }
    }

    /** Whether every existing target has settled all but the last few batches. */
    private boolean keepingUp() {
        long head = journal.nextSeq();
        for (Target t : door.routing()) {
            if (t.deletedAtMillis() < 0 && head - t.settledSeq() > KEEPING_UP_VALUES) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether every target whose configuration exists has settled everything durably. Deleted targets do not count:
     * their values stay where they are until they are released.
     */
    private boolean drained() {
        boolean persistent = journal.persistent();
        long head = journal.nextSeq();
        for (Target t : door.routing()) {
            if (t.deletedAtMillis() < 0 && t.neededFrom(persistent) < head) {
                return false;
            }
        }
        return true;
    }
}
