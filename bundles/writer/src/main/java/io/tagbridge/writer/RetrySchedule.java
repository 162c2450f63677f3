package io.tagbridge.writer;

import dev.failsafe.RetryPolicy;
import io.tagbridge.api.sink.FailureKind;
import io.tagbridge.api.sink.TagSink;

/** A target's retry schedule: exponential backoff from the first delay to the longest, as configured. */
final class RetrySchedule {

    private RetrySchedule() {
    }

    /** Retries transient failures only: bad data and refused settings do not get better by waiting. */
    static RetryPolicy<Object> of(TargetSettings settings, TagSink sink) {
        var builder = RetryPolicy.builder().handleIf(e -> sink.classify(e).kind() == FailureKind.TRANSIENT)
                .withMaxRetries(settings.retryMax());
        if (settings.retryDelay().isZero()) {
            return builder.build();
        }
        if (settings.retryMaxDelay().compareTo(settings.retryDelay()) <= 0) {
            return builder.withDelay(settings.retryDelay()).build();
        }
        return builder.withBackoff(settings.retryDelay(), settings.retryMaxDelay(), 2.0).build();
    }
}
