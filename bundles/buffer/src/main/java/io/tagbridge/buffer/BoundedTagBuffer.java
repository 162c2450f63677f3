package io.tagbridge.buffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;

import io.tagbridge.api.IngestResult;
import io.tagbridge.api.RefusalReason;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.BufferStatus;
import io.tagbridge.api.pipeline.ReceivedValue;

/**
 * A bounded FIFO of tag values for many producers and a few consumers, with an overflow policy.
 *
 * <p>One lock guards everything: offers and drains are short (a few array writes), and a single lock is what
 * makes "all of a list or none of it" and a capacity that can change at run time simple to get right.
 * Consumers are woken only when a whole batch is ready, not on every offer.
 */
final class BoundedTagBuffer {

    /** Single offers are the hot path: answer them without allocating. */
    private static final IngestResult ONE_ACCEPTED = IngestResult.accepted(1);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition batchReady = lock.newCondition();
    private final ArrayDeque<ReceivedValue> queue = new ArrayDeque<>();
    private final LongSupplier nowMicros;

    private BufferSettings settings;
    private int wakeConsumerAt = Integer.MAX_VALUE;
    private boolean wakeRequested;
    private boolean closed;
    private long accepted;
    private final Map<RefusalReason, Long> refused = new EnumMap<>(RefusalReason.class);
    private long dropped;
    private String lastRefusal = "";

    BoundedTagBuffer(BufferSettings settings, LongSupplier nowMicros) {
        this.settings = settings;
        this.nowMicros = nowMicros;
    }

    void reconfigure(BufferSettings newSettings) {
        lock.lock();
        try {
            settings = newSettings;
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    IngestResult offer(TagValue value) {
        ReceivedValue received = new ReceivedValue(value, nowMicros.getAsLong());
        lock.lock();
        try {
            IngestResult refusal = makeRoom(1);
            if (refusal != null) {
                return refuse(refusal);
            }
            queue.addLast(received);
            accepted++;
            signalConsumerIfBatchReady();
            return ONE_ACCEPTED;
        } finally {
            lock.unlock();
        }
    }

    IngestResult offer(List<TagValue> values) {
        int n = values.size();
        if (n == 0) {
            return IngestResult.accepted(0);
        }
        long now = nowMicros.getAsLong();
        List<ReceivedValue> received = new ArrayList<>(n);
        for (TagValue value : values) {
            received.add(new ReceivedValue(value, now));
        }
        lock.lock();
        try {
            IngestResult refusal = makeRoom(n);
            if (refusal != null) {
                return refuse(refusal);
            }
            queue.addAll(received);
            accepted += n;
            signalConsumerIfBatchReady();
            return IngestResult.accepted(n);
        } finally {
            lock.unlock();
        }
    }

    int drain(Collection<? super ReceivedValue> sink, int batchSize, long timeout, TimeUnit unit)
            throws InterruptedException {
        lock.lock();
        try {
            long nanos = unit.toNanos(timeout);
            while (queue.size() < batchSize && nanos > 0 && !wakeRequested && !closed) {
                wakeConsumerAt = Math.min(wakeConsumerAt, batchSize);
                nanos = batchReady.awaitNanos(nanos);
            }
            wakeConsumerAt = Integer.MAX_VALUE;
            wakeRequested = false;
            int n = Math.min(batchSize, queue.size());
            for (int i = 0; i < n; i++) {
                sink.add(queue.pollFirst());
            }
            if (n > 0) {
                notFull.signalAll();
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    void returnUndelivered(List<ReceivedValue> values) {
        lock.lock();
        try {
            for (int i = values.size() - 1; i >= 0; i--) {
                queue.addFirst(values.get(i));
            }
            signalConsumerIfBatchReady();
        } finally {
            lock.unlock();
        }
    }

    void wakeConsumers() {
        lock.lock();
        try {
            wakeRequested = true;
            batchReady.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Refuses all further offers, wakes everyone waiting, and hands back what is still buffered. */
    List<ReceivedValue> close() {
        lock.lock();
        try {
            closed = true;
            notFull.signalAll();
            batchReady.signalAll();
            List<ReceivedValue> rest = new ArrayList<>(queue);
            queue.clear();
            return rest;
        } finally {
            lock.unlock();
        }
    }

    BufferStatus status() {
        lock.lock();
        try {
            Map<RefusalReason, Long> byReason = new EnumMap<>(RefusalReason.class);
            for (RefusalReason reason : RefusalReason.values()) {
                byReason.put(reason, refused.getOrDefault(reason, 0L));
            }
            long refusedTotal = byReason.values().stream().mapToLong(Long::longValue).sum();
            return new BufferStatus(queue.size(), settings.capacity(), accepted + refusedTotal, accepted, byReason,
                    dropped, lastRefusal);
        } finally {
            lock.unlock();
        }
    }

    /** Counts values refused before they were offered, see {@link io.tagbridge.api.pipeline.TagBuffer#countRefused}. */
    void countRefused(int n, RefusalReason reason, String detail) {
        lock.lock();
        try {
            refuse(IngestResult.refused(n, reason, detail));
        } finally {
            lock.unlock();
        }
    }

    /** Makes room for {@code n} values under the lock; returns the refusal if it could not, or null. */
    private IngestResult makeRoom(int n) {
        if (closed) {
            return stopping(n);
        }
        int capacity = settings.capacity();
        if (n > capacity) {
            return tooLarge(n, capacity);
        }
        if (capacity - queue.size() >= n) {
            return null;
        }
        return switch (settings.policy()) {
            case REJECT_NEWEST -> full(n, capacity, "");
            case DROP_OLDEST -> dropOldest(n - (capacity - queue.size()));
            case BLOCK -> awaitRoom(n);
        };
    }

    private IngestResult dropOldest(int count) {
        for (int i = 0; i < count; i++) {
            queue.pollFirst();
        }
        dropped += count;
        lastRefusal = "the buffer was full; " + count + " oldest values were discarded (overflowPolicy DROP_OLDEST)";
        return null;
    }

    private IngestResult awaitRoom(int n) {
        long nanos = settings.blockTimeoutNanos();
        try {
            while (settings.capacity() - queue.size() < n) {
                if (closed) {
                    return stopping(n);
                }
                if (n > settings.capacity()) {
                    return tooLarge(n, settings.capacity());
                }
                if (nanos <= 0) {
                    return full(n, settings.capacity(), " (waited "
                            + TimeUnit.NANOSECONDS.toMillis(settings.blockTimeoutNanos()) + " ms)");
                }
                nanos = notFull.awaitNanos(nanos);
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return IngestResult.refused(n, RefusalReason.STOPPING, "interrupted while waiting for room in the buffer");
        }
    }

    private static IngestResult stopping(int n) {
        return IngestResult.refused(n, RefusalReason.STOPPING,
                "the buffer is stopping; offer the values again once Tagbridge is running");
    }

    private static IngestResult tooLarge(int n, int capacity) {
        return IngestResult.refused(n, RefusalReason.TOO_LARGE, n + " values at once exceed the buffer capacity of "
                + capacity + "; offer fewer at a time or raise io.tagbridge.buffer capacity");
    }

    private static IngestResult full(int n, int capacity, String waited) {
        return IngestResult.refused(n, RefusalReason.BUFFER_FULL, "the buffer is full (" + capacity
                + " values): the database is not keeping up or is unreachable; see /api/buffer/health, or raise "
                + "io.tagbridge.buffer capacity" + waited);
    }

    private IngestResult refuse(IngestResult refusal) {
        refused.merge(refusal.reasonCode(), (long) refusal.refused(), Long::sum);
        lastRefusal = refusal.reason();
        return refusal;
    }

    private void signalConsumerIfBatchReady() {
        if (queue.size() >= wakeConsumerAt) {
            batchReady.signal();
        }
    }
}
