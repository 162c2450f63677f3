package io.tagbridge.example.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;

class SourceClockTest {

    @Test
    void aClockThatRepeatsOrGoesBackStillGivesEveryReadingALaterMicrosecond() {
        Instant t = Instant.parse("2026-01-01T00:00:00.000001Z");
        Deque<Instant> readings = new ArrayDeque<>(List.of(t, t.plusNanos(300), t.minusSeconds(1),
                t.plusSeconds(1)));
        SourceClock clock = new SourceClock(readings::removeFirst);

        assertThat(List.of(clock.next(), clock.next(), clock.next(), clock.next())).containsExactly(t,
                Instant.parse("2026-01-01T00:00:00.000002Z"), Instant.parse("2026-01-01T00:00:00.000003Z"),
                t.plusSeconds(1));
    }
}
