package io.tagbridge.writer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.TargetCursor;
import io.tagbridge.api.pipeline.WriteRecorder;
import io.tagbridge.api.sink.TagSink;
import io.tagbridge.api.sink.WriteResult;

/**
 * A target's live writer (liveFirst): writes what the target's live lane hands out (the values accepted while the
 * backlog is old) through a connection of its own, so that they need not wait behind the backlog. It takes the
 * plain, fast way: the values are new. Whatever it cannot write whole (the database is away, a value is refused,
 * a row exists) it gives back, and the target's own writer writes it in its turn with every safeguard (retries,
 * duplicate-safe path, backup): this lane never backs up nor drops anything.
 */
final class LiveWriter implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveWriter.class);
    /** After a write failed or no connection was to be had: the target's own writer has the values meanwhile. */
    static final Duration PAUSE_AFTER_FAILURE = Duration.ofSeconds(5);

    private final TargetSettings settings;
    private final TargetCursor live;
    private final TagSink sink;
    private final StopSignal stop;
    private final Supplier<WriteRecorder> recorder;
    private TagSink.Lane lane;
    private boolean failing;

    LiveWriter(TargetSettings settings, TargetCursor live, TagSink sink, StopSignal stop,
            Supplier<WriteRecorder> recorder) {
        this.settings = settings;
        this.live = live;
        this.sink = sink;
        this.stop = stop;
        this.recorder = recorder;
    }

    @Override
    public void run() {
        List<ReceivedValue> batch = new ArrayList<>(settings.batchSize());
        try {
            while (!stop.isStopped()) {
                batch.clear();
                live.next(batch, settings.batchSize(), settings.writeInterval().toNanos(), TimeUnit.NANOSECONDS);
                if (batch.isEmpty()) {
                    closeLane();
                } else if (!write(batch)) {
                    live.rewind();
                    closeLane();
                    stop.sleep(PAUSE_AFTER_FAILURE);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.error("Writer {}: its live lane died; live values wait behind the backlog until the writer is "
                    + "restarted", settings.name(), e);
        } finally {
            closeLane();
            live.close();
        }
    }

    /** Writes the batch whole and settles it; false when it was not written whole, which gives it back. */
    private boolean write(List<ReceivedValue> batch) {
        long started = System.nanoTime();
        try {
            if (lane == null) {
                lane = sink.openLane();
                if (lane == null) {
                    return failed("no connection to spare: size the pool for the write connections and one more");
                }
            }
            WriteResult r = lane.write(batch, false);
            if (r.written() != batch.size()) {
                return failed(batch.size() - r.written() + " of " + batch.size() + " values were not written the "
                        + "plain way (stored already, or refused)");
            }
            live.settle(batch.size(), 0, 0, !sink.needsMakeDurable());
            recorder.get().written(settings.name(), batch, 0, System.nanoTime() - started);
            if (failing) {
                LOG.info("Writer {}: its live lane writes again", settings.name());
                failing = false;
            }
            return true;
        } catch (Exception e) {
            return failed(e.toString());
        }
    }

    private boolean failed(String why) {
        if (!failing) {
            LOG.info("Writer {}: live values wait behind the backlog for now, and are written in their turn: {}",
                    settings.name(), why);
            failing = true;
        }
        return false;
    }

    private void closeLane() {
        if (lane != null) {
            try {
                lane.close();
            } catch (RuntimeException e) {
                LOG.debug("Writer {}: closing its live connection failed: {}", settings.name(), e.toString());
            }
            lane = null;
        }
    }
}
