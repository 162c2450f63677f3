package io.tagbridge.buffer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.tagbridge.buffer.journal.Journal;

/**
 * Who waits for what in the buffer: target cursors for values to arrive, and (with the journal in memory) the door
 * for room. The door and the sync thread signal; cursors and the door wait. Cursors reach the buffer only through
 * this and the journal, so nothing they call calls back up.
 */
final class Signals {

    private final Journal journal;
    private final ReentrantLock readersLock = new ReentrantLock();
    private final Condition valuesArrived = readersLock.newCondition();
    /** The sequence number a waiting reader wants; the appender wakes readers only once the journal reaches it. */
    private volatile long wakeAt = Long.MAX_VALUE;
    private final ReentrantLock roomLock = new ReentrantLock();
    private final Condition roomFreed = roomLock.newCondition();
    private volatile boolean stopped;

    Signals(Journal journal) {
        this.journal = journal;
    }

    /** Called by the appender: wakes readers once enough values arrived for one of them. */
    void valuesAppended() {
        if (journal.nextSeq() >= wakeAt) {
            wakeReaders();
        }
    }

    void wakeReaders() {
        readersLock.lock();
        try {
            wakeAt = Long.MAX_VALUE;
            valuesArrived.signalAll();
        } finally {
            readersLock.unlock();
        }
    }

    /** Waits until the journal reaches {@code seq}, or {@code nanos} pass, or a reader is woken. */
    void awaitValues(long seq, long nanos) throws InterruptedException {
        readersLock.lock();
        try {
            if (journal.nextSeq() >= seq || stopped) {
                return;
            }
            wakeAt = Math.min(wakeAt, seq);
            valuesArrived.awaitNanos(nanos);
        } finally {
            readersLock.unlock();
        }
    }

    /** A target settled values: in memory, that makes room at once. */
    void settledSomething() {
        if (!journal.persistent()) {
            signalRoom();
        }
    }

    void signalRoom() {
        roomLock.lock();
        try {
            roomFreed.signalAll();
        } finally {
            roomLock.unlock();
        }
    }

    /** Waits for room, at most {@code nanos} and at most 100 ms, so that the door looks again. */
    void awaitRoom(long nanos) {
        roomLock.lock();
        try {
            roomFreed.awaitNanos(Math.min(nanos, TimeUnit.MILLISECONDS.toNanos(100)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            roomLock.unlock();
        }
    }

    /** The buffer stops: no one waits any longer. */
    void stop() {
        stopped = true;
        wakeReaders();
        signalRoom();
    }
}
