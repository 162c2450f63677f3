package io.tagbridge.writer;

import java.time.Duration;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.pipeline.Diagnosis;
import io.tagbridge.api.pipeline.TargetState;
import io.tagbridge.api.pipeline.WriteRecorder;

/**
 * A target's state and diagnosis, told to the recorders and logged once per change: at INFO when it writes again,
 * at WARN while it retries, else at ERROR. An outage puts its changes in the log, not one line per batch.
 */
final class TargetStateLog {

    private static final Logger LOG = LoggerFactory.getLogger(TargetStateLog.class);

    private final String writer;
    private final Supplier<WriteRecorder> recorder;
    private TargetState state;
    private Diagnosis diagnosis;

    TargetStateLog(String writer, Supplier<WriteRecorder> recorder) {
        this.writer = writer;
        this.recorder = recorder;
    }

    /** The state last reported; null before the first. */
    TargetState state() {
        return state;
    }

    /** The reason code last reported; empty before the first. */
    String reason() {
        return diagnosis == null ? "" : diagnosis.reason();
    }

    /** Reports a new state or diagnosis; the same state with the same reason again is not reported twice. */
    void change(TargetState next, Diagnosis why, String logLine) {
        if (next == state && why.reason().equals(reason())) {
            return;
        }
        state = next;
        diagnosis = why;
        recorder.get().state(writer, next, why);
        if (next == TargetState.WRITING) {
            LOG.info("Writer {}: {}", writer, logLine);
        } else if (next == TargetState.RETRYING) {
            LOG.warn("Writer {}: {}", writer, logLine);
        } else {
            LOG.error("Writer {}: {}", writer, logLine);
        }
    }

    /** The writer's thread died and restarts in {@code restartIn}; its batch stays in the buffer. */
    void died(Throwable cause, Duration restartIn) {
        change(TargetState.STOPPED, new Diagnosis("THREAD_DIED", "the writer's thread died and restarts in "
                + restartIn.toSeconds() + " s; its batch stays in the buffer. If this repeats, restart the gateway "
                + "and report the error in the log", cause.toString()), "its thread died from " + cause
                + "; it restarts in " + restartIn.toSeconds() + " s");
    }
}
