package io.tagbridge.writer;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.pipeline.Diagnosis;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.TargetState;
import io.tagbridge.api.pipeline.WriteRecorder;

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
    public void written(String target, List<ReceivedValue> values, int alreadyStored, long latencyNanos) {
        each(r -> r.written(target, values, alreadyStored, latencyNanos));
    }

    @Override
    public void failed(String target, int values, long latencyNanos, Diagnosis why) {
        each(r -> r.failed(target, values, latencyNanos, why));
    }

    @Override
    public void conflicting(String target, int values) {
        each(r -> r.conflicting(target, values));
    }

    @Override
    public void replayed(String target, int written, int alreadyStored, int quarantined) {
        each(r -> r.replayed(target, written, alreadyStored, quarantined));
    }

    @Override
    public void backedUp(String target, List<ReceivedValue> values, String reason) {
        each(r -> r.backedUp(target, values, reason));
    }

    @Override
    public void state(String target, TargetState state, Diagnosis why) {
        each(r -> r.state(target, state, why));
    }

    @Override
    public void removed(String target) {
        each(r -> r.removed(target));
    }

    private void each(Consumer<WriteRecorder> call) {
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
