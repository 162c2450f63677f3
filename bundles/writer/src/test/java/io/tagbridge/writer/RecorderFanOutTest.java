package io.tagbridge.writer;

import static io.tagbridge.writer.Fixtures.values;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.WriteRecorder;
import io.tagbridge.writer.Fixtures.Events;

class RecorderFanOutTest {

    private static final WriteRecorder THROWING = new WriteRecorder() {
        @Override
        public void written(String target, List<ReceivedValue> values, int alreadyStored, long latencyNanos) {
            throw new IllegalStateException("broken recorder");
        }
    };

    @Test
    void aThrowingRecorderNeitherFailsTheCallNorKeepsTheOthersFromHearingIt() {
        Events events = new Events();
        RecorderFanOut fanOut = new RecorderFanOut(() -> List.of(THROWING, events));

        List<ReceivedValue> batch = values(0, 7);
        fanOut.written("w", batch, 0, 1_000);

        assertThat(events.written).containsExactly(7);
    }
}
