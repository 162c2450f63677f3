package io.tagbridge.writer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.TagBuffer;

/**
 * The writer's thread: takes a batch from the buffer when it is full or the write interval has passed since
 * the last write, and delivers it. When asked to stop it finishes the batch in hand, then keeps writing what
 * is buffered for a bounded time, so a restart or reconfiguration does not leave values behind needlessly.
 */
final class WriteLoop implements Runnable {

    private final WriterSettings settings;
    private final TagBuffer buffer;
    private final Delivery delivery;
    private final StopSignal stop;

    WriteLoop(WriterSettings settings, TagBuffer buffer, Delivery delivery, StopSignal stop) {
        this.settings = settings;
        this.buffer = buffer;
        this.delivery = delivery;
        this.stop = stop;
    }

    @Override
    public void run() {
        List<ReceivedValue> batch = new ArrayList<>(settings.batchSize());
        long interval = settings.writeInterval().toNanos();
        delivery.warmUp();
        long lastWrite = System.nanoTime();
        try {
            while (!stop.isStopped()) {
                long wait = Math.max(0, lastWrite + interval - System.nanoTime());
                buffer.drain(batch, settings.batchSize(), wait, TimeUnit.NANOSECONDS);
                lastWrite = System.nanoTime();
                if (batch.isEmpty()) {
                    delivery.idle();
                } else {
                    hand(batch, delivery.deliver(batch));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!batch.isEmpty()) {
            hand(batch, delivery.deliverOnce(batch));
        }
        flushBuffered(batch);
        delivery.idle();
    }

    private void flushBuffered(List<ReceivedValue> batch) {
        long deadline = System.nanoTime() + settings.stopFlush().toNanos();
        try {
            while (System.nanoTime() - deadline < 0
                    && buffer.drain(batch, settings.batchSize(), 0, TimeUnit.NANOSECONDS) > 0) {
                if (hand(batch, delivery.deliverOnce(batch)) != Delivery.Outcome.WRITTEN) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Empties the list for the next batch; the delivery has put whatever it could not settle back in the buffer. */
    private static Delivery.Outcome hand(List<ReceivedValue> batch, Delivery.Outcome outcome) {
        batch.clear();
        return outcome;
    }
}
