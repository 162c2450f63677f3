package io.tagbridge.metrics;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Objects;

import io.tagbridge.api.pipeline.WriterState;

/** What is known of one writer target. */
record WriterStatus(WriterState state, String detail, Instant since, Instant lastSuccessfulWrite) {

    WriterStatus withState(WriterState newState, String newDetail, Instant now) {
        return new WriterStatus(newState, newDetail, now, lastSuccessfulWrite);
    }

    WriterStatus withSuccess(Instant now) {
        return new WriterStatus(state, detail, since, now);
    }

    /** The latest commit of any of the writers, null if none has committed. */
    static Instant latestSuccess(Collection<WriterStatus> writers) {
        return writers.stream().map(WriterStatus::lastSuccessfulWrite).filter(Objects::nonNull)
                .max(Comparator.naturalOrder()).orElse(null);
    }
}
