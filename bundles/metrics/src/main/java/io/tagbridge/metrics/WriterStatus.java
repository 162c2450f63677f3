package io.tagbridge.metrics;

import java.time.Instant;

import io.tagbridge.api.pipeline.WriterState;

/** What is known of one writer target. */
record WriterStatus(WriterState state, String detail, Instant since, Instant lastSuccessfulWrite) {

    WriterStatus withState(WriterState newState, String newDetail, Instant now) {
        return new WriterStatus(newState, newDetail, now, lastSuccessfulWrite);
    }

    WriterStatus withSuccess(Instant now) {
        return new WriterStatus(state, detail, since, now);
    }
}
