package io.tagbridge.writer;

import static io.tagbridge.writer.Fixtures.settings;
import static io.tagbridge.writer.Fixtures.values;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.tagbridge.writer.Fixtures.Events;
import io.tagbridge.writer.Fixtures.ListBackup;
import io.tagbridge.writer.Fixtures.QueueBuffer;
import io.tagbridge.writer.Fixtures.SwitchableDatabase;

class WriteLoopTest {

    private final Events events = new Events();
    private final ListBackup backup = new ListBackup();
    private final QueueBuffer buffer = new QueueBuffer();
    private final StopSignal stop = new StopSignal();

    private Thread start(SwitchableDatabase db, WriterSettings settings) {
        Delivery delivery = new Delivery(settings, Fixtures.inserter(db, settings), backup, () -> events, stop,
                buffer::returnUndelivered, () -> false);
        Thread thread = new Thread(new WriteLoop(settings, buffer, delivery, stop));
        thread.start();
        return thread;
    }

    private void stopAndJoin(Thread thread) throws InterruptedException {
        stop.stop();
        buffer.wakeConsumers();
        thread.join(10_000);
        assertThat(thread.isAlive()).isFalse();
    }

    @Test
    void fullBatchesAreWrittenWithoutWaitingForTheInterval() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("size");
        buffer.offer(values(0, 1000));
        Thread writer = start(db, settings(100, Duration.ofHours(1), 3, Duration.ZERO));
        try {
            waitFor(() -> events.written.size() == 10);
            assertThat(events.written).containsOnly(100);
        } finally {
            stopAndJoin(writer);
        }
    }

    @Test
    void aPartialBatchIsWrittenWhenTheIntervalPasses() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("time");
        Thread writer = start(db, settings(500, Duration.ofMillis(50), 3, Duration.ZERO));
        try {
            buffer.offer(values(0, 7));
            waitFor(() -> !events.written.isEmpty());
            assertThat(events.written).containsExactly(7);
        } finally {
            stopAndJoin(writer);
        }
    }

    @Test
    void stoppingFlushesWhatIsBufferedIntoTheDatabase() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("flush");
        Thread writer = start(db, settings(100, Duration.ofHours(1), 3, Duration.ZERO));
        buffer.offer(values(0, 250));
        stopAndJoin(writer);

        assertThat(db.rows("TAG_VALUES")).isEqualTo(250);
        assertThat(buffer.queue).isEmpty();
    }

    @Test
    void stoppingDuringAnOutageLosesNothing() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("stopdown");
        db.down.set(true);
        backup.full.set(true);
        Thread writer = start(db, settings(100, Duration.ofMillis(10), 3, Duration.ofSeconds(60)));
        buffer.offer(values(0, 250));
        waitFor(() -> !events.failed.isEmpty());
        stopAndJoin(writer);

        assertThat(buffer.queue).containsExactlyElementsOf(values(0, 250));
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("condition not met within 10 s").isNegative();
            Thread.sleep(5);
        }
    }
}
