package io.tagbridge.buffer;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;

import io.tagbridge.api.IngestResult;

/**
 * Logs refused values at most once per interval, with how many were refused since the last line, so a full
 * buffer under load is visible in the log without flooding it.
 */
final class RefusalLog {

    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong refusedSinceLastLine = new AtomicLong();
    private final AtomicLong nextLineAt = new AtomicLong(System.nanoTime());

    RefusalLog(Logger log, long intervalNanos) {
        this.log = log;
        this.intervalNanos = intervalNanos;
    }

    IngestResult note(IngestResult result) {
        if (result.refused() == 0) {
            return result;
        }
        long refused = refusedSinceLastLine.addAndGet(result.refused());
        long now = System.nanoTime();
        long due = nextLineAt.get();
        if (now - due >= 0 && nextLineAt.compareAndSet(due, now + intervalNanos)) {
            refusedSinceLastLine.addAndGet(-refused);
            log.warn("Buffer refused {} values: {}", refused, result.reason());
        }
        return result;
    }
}
