package io.tagbridge.buffer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.IngestResult;
import io.tagbridge.api.RefusalReason;
import io.tagbridge.api.pipeline.Diagnosis;
import io.tagbridge.buffer.journal.Journal;

/**
 * The journal's sync thread. It forces the journal to disk as soon as a durable offer waits (every offer waiting
 * shares one sync: group commit) and answers the offers it covers; every sync interval it runs the periodic round
 * it was given (sync, ledger, release), and whoever needs a round can ask for one and wait for it.
 */
final class JournalSync {

    private static final Logger LOG = LoggerFactory.getLogger(JournalSync.class);

    /** The periodic work; it syncs through {@link JournalSync#syncNow()}. */
    interface Round {
        void run() throws IOException;
    }

    /** A durable offer: done once every value before {@code upTo} is on disk. */
    private record Waiter(long upTo, int count, CompletableFuture<IngestResult> answer) {
    }

    private final Journal journal;
    private final LongSupplier nowMicros;
    private final Supplier<BufferSettings> settings;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wanted = lock.newCondition();
    private final Condition roundDone = lock.newCondition();
    /** Periodic rounds started and finished; guarded by the lock. */
    private long roundsStarted;
    private long roundsDone;
    private boolean roundRequested;
    private boolean syncRequested;
    private volatile long syncedSeq;
    /** Durable offers waiting for the sync that covers them; guarded by the lock. */
    private final List<Waiter> waiters = new ArrayList<>();
    /** Completes durable offers, so that no caller's callback ever runs on the sync thread. */
    private final ExecutorService acks = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tagbridge-journal-acks");
        t.setDaemon(true);
        return t;
    });
    private volatile long syncStartedNanos = -1;
    private volatile Diagnosis syncFailure;
    private volatile boolean running = true;
    private LoopThread thread;

    JournalSync(Journal journal, LongSupplier nowMicros, Supplier<BufferSettings> settings) {
        this.journal = journal;
        this.nowMicros = nowMicros;
        this.settings = settings;
        this.syncedSeq = journal.nextSeq();
    }

    void start(Round round) {
        thread = new LoopThread("tagbridge-journal-sync", () -> loop(round), () -> running);
    }

    private void loop(Round round) {
        long periodicAt = System.nanoTime() + settings.get().syncInterval().toNanos();
        while (running) {
            boolean periodic;
            long number = 0;
            lock.lock();
            try {
                while (!syncRequested && !roundRequested && running && periodicAt - System.nanoTime() > 0) {
                    wanted.awaitNanos(periodicAt - System.nanoTime());
                }
                periodic = roundRequested || periodicAt - System.nanoTime() <= 0;
                syncRequested = false;
                roundRequested = false;
                if (periodic) {
                    number = ++roundsStarted;
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            if (!running) {
                return;
            }
            try {
                if (periodic) {
                    periodicAt = System.nanoTime() + settings.get().syncInterval().toNanos();
                    round.run();
                } else {
                    syncNow();
                }
            } catch (IOException | RuntimeException e) {
                if (!running) {
                    // stop() interrupted this round (an interrupted channel fails its I/O); the last round follows
                    return;
                }
                LOG.error("Journal: syncing or keeping the ledger failed: {}. Accepted values stay in the journal; "
                        + "check the disk of the data directory", e.toString());
            } finally {
                if (periodic) {
                    roundFinished(number);
                }
            }
        }
    }

    /**
     * Forces what was appended since the last sync to disk and answers the durable offers it covers; a failure
     * refuses every offer waiting, which may offer again.
     *
     * @return when the sync began, in microseconds since the epoch
     */
    long syncNow() throws IOException {
        long began = nowMicros.getAsLong();
        long seq;
        syncStartedNanos = System.nanoTime();
        try {
            seq = journal.persistent() ? journal.force() : journal.nextSeq();
        } catch (IOException | RuntimeException e) {
            syncFailure = new Diagnosis("JOURNAL_UNAVAILABLE", "the journal cannot be synced to disk, so durable "
                    + "offers are refused: check the disk of the data directory (space, errors in the system log)",
                    e.toString());
            refuseWaiters("the journal's sync to disk failed (" + e.getMessage() + "); the values may still reach "
                    + "the database, and offering them again is safe. Check the disk of the data directory");
            throw e;
        } finally {
            syncStartedNanos = -1;
        }
        if (seq >= 0) {
            syncFailure = null;
            synced(seq);
        }
        return began;
    }

    private void roundFinished(long number) {
        lock.lock();
        try {
            roundsDone = Math.max(roundsDone, number);
            roundDone.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void synced(long seq) {
        List<Waiter> done = new ArrayList<>();
        lock.lock();
        try {
            syncedSeq = Math.max(syncedSeq, seq);
            waiters.removeIf(w -> {
                if (w.upTo() <= seq || w.answer().isDone()) {
                    done.add(w);
                    return true;
                }
                return false;
            });
        } finally {
            lock.unlock();
        }
        if (!done.isEmpty()) {
            answer(() -> done.forEach(w -> w.answer().complete(IngestResult.acceptedOnDisk(w.count()))));
        }
    }

    /** Answers every durable offer waiting as refused, with {@code why}. */
    void refuseWaiters(String why) {
        List<Waiter> refused;
        lock.lock();
        try {
            refused = new ArrayList<>(waiters);
            waiters.clear();
        } finally {
            lock.unlock();
        }
        answer(() -> refused.forEach(w -> w.answer().complete(IngestResult.refused(w.count(),
                RefusalReason.JOURNAL_UNAVAILABLE, why))));
    }

    /** Runs answers on the acknowledging thread; once that is shut down, on this one. */
    private void answer(Runnable answers) {
        try {
            acks.execute(answers);
        } catch (RejectedExecutionException stopped) {
            answers.run();
        }
    }

    /** The sequence number every value before which is on disk (or, for a journal in memory, appended). */
    long syncedSeq() {
        return syncedSeq;
    }

    /** Waits, without blocking the caller, for the sync that covers values up to {@code upTo}. */
    CompletionStage<IngestResult> awaitSync(long upTo, int count) {
        CompletableFuture<IngestResult> answer = new CompletableFuture<>();
        lock.lock();
        try {
            if (syncedSeq >= upTo) {
                return CompletableFuture.completedFuture(IngestResult.acceptedOnDisk(count));
            }
            waiters.add(new Waiter(upTo, count, answer));
            syncRequested = true;
            wanted.signal();
        } finally {
            lock.unlock();
        }
        long timeout = settings.get().syncTimeout().toMillis();
        return answer.completeOnTimeout(IngestResult.refused(count, RefusalReason.JOURNAL_UNAVAILABLE,
                "the journal's sync to disk took longer than " + timeout + " ms; the values may still reach the "
                        + "database, and offering them again is safe (a value's key is its tag and source time). "
                        + "Check the disk of the data directory"), timeout, TimeUnit.MILLISECONDS);
    }

    /** Asks for a periodic round that begins after this call, and waits for it, at most 5 s. */
    void awaitRound() {
        lock.lock();
        try {
            long number = roundsStarted + 1;
            roundRequested = true;
            wanted.signal();
            long left = TimeUnit.SECONDS.toNanos(5);
            while (roundsDone < number && running && left > 0) {
                left = roundDone.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Why durable offers are refused now (a sync failed, or one hangs), or null when they are not. */
    Diagnosis trouble() {
        long started = syncStartedNanos;
        if (started > 0 && System.nanoTime() - started > settings.get().syncTimeout().toNanos()) {
            return Diagnosis.of("JOURNAL_UNAVAILABLE", "a sync of the journal to disk has taken "
                    + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + " s: the disk of the data "
                    + "directory hangs or is very slow, and durable offers are refused; check it");
        }
        return syncFailure;
    }

    /** The thread, for health to say when it died. */
    LoopThread loopThread() {
        return thread;
    }

    /** Tells the thread to stop and wakes it; a round it was in is cut short. The owner runs the last round. */
    void halt() {
        running = false;
        thread.interrupt();
    }

    /** Waits for the thread to end, after {@link #halt()}. */
    void join() {
        thread.join();
    }

    /** After the last round: refuses offers still waiting, with {@code why}, and stops answering on a thread. */
    void close(String why) {
        refuseWaiters(why);
        acks.shutdown();
    }
}
