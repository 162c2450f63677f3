package io.tagbridge.writer;

import java.util.List;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.WriteRecorder;
import io.tagbridge.api.pipeline.WriterState;

/**
 * Reports to every registered recorder. A recorder that throws is logged and skipped: it runs on the write path,
 * and its failure after a commit must never make the writer think the batch failed, which would write it twice.
 */
final class RecorderFanOut implements WriteRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(RecorderFanOut.class);

    private final Supplier<List<WriteRecorder>> recorders;

    RecorderFanOut(Supplier<List<WriteRecorder>> recorders) {
        this.recorders = recorders;
    }

    @Override
    public void written(String target, int values, long latencyNanos) {
        each(r -> r.written(target, values, latencyNanos));
    }

    @Override
    public void written(String target, List<ReceivedValue> values, long latencyNanos) {
        each(r -> r.written(target, values, latencyNanos));
    }

    @Override
    public void failed(String target, int values, long latencyNanos, String reason) {
        each(r -> r.failed(target, values, latencyNanos, reason));
    }

    @Override
    public void backedUp(String target, int values, String reason) {
        each(r -> r.backedUp(target, values, reason));
    }

    @Override
    public void backedUp(String target, List<ReceivedValue> values, String reason) {
        each(r -> r.backedUp(target, values, reason));
    }

    @Override
    public void state(String target, WriterState state, String detail) {
        each(r -> r.state(target, state, detail));
    }

    private void each(java.util.function.Consumer<WriteRecorder> call) {
        List<WriteRecorder> current = recorders.get();
        if (current == null) {
            return;
        }
        for (WriteRecorder recorder : current) {
            try {
                call.accept(recorder);
            } catch (RuntimeException e) {
                LOG.warn("Write recorder {} failed; writing goes on: {}", recorder.getClass().getName(), e.toString());
            }
        }
    }
}
