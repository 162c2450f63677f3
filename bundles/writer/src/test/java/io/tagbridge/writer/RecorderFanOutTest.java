package io.tagbridge.writer;

import static io.tagbridge.writer.Fixtures.values;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.WriteRecorder;
import io.tagbridge.api.pipeline.WriterState;
import io.tagbridge.writer.Fixtures.Events;

class RecorderFanOutTest {

    private static final WriteRecorder THROWING = new WriteRecorder() {
        public void written(String target, int values, long latencyNanos) {
            throw new IllegalStateException("broken recorder");
        }

        public void failed(String target, int values, long latencyNanos, String reason) {
            throw new IllegalStateException("broken recorder");
        }

        public void backedUp(String target, int values, String reason) {
            throw new IllegalStateException("broken recorder");
        }

        public void state(String target, WriterState state, String detail) {
            throw new IllegalStateException("broken recorder");
        }
    };

    @Test
    void aThrowingRecorderNeitherFailsTheCallNorKeepsTheOthersFromHearingIt() {
        Events events = new Events();
        RecorderFanOut fanOut = new RecorderFanOut(() -> List.of(THROWING, events));

        List<ReceivedValue> batch = values(0, 7);
        fanOut.written("w", batch, 1_000);

        assertThat(events.written).containsExactly(7);
    }
}
