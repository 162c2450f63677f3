package io.tagbridge.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ConflictLogTest {

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final ConflictLog log = new ConflictLog("plant", nanos::get);

    private void after(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void conflictsAreLoggedAtOnceThenAtMostOnceAMinuteWithHowManyThereWereSinceTheLastLine() {
        assertThat(log.record(2, "the stored rows were kept; e.g. line1.t1 at 2026-01-01T00:00:00Z"))
                .contains("Writer plant: 2 values").contains("the stored rows were kept").contains("line1.t1");
        after(Duration.ofSeconds(10));
        assertThat(log.record(3, "a")).as("10 s after the last line").isNull();
        after(Duration.ofSeconds(49));
        assertThat(log.record(4, "b")).as("59 s after the last line").isNull();
        after(Duration.ofSeconds(1));
        assertThat(log.record(1, "c")).as("a minute after the last line: the ones in between are counted")
                .contains("Writer plant: 8 values").contains("; c.");
        assertThat(log.record(1, "d")).isNull();
    }
}
