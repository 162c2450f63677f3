package io.tagbridge.example.driver;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

/**
 * Source times for one tag, each later than the one before. Tagbridge keys a value by its tag and source time,
 * to the microsecond: two readings with the same time are one row, and the second is counted as a conflict. A
 * clock read twice within a microsecond (a scheduler catching up after a pause does that), or set back by NTP,
 * would give two readings the same time; this gives the second one the next microsecond instead.
 */
final class SourceClock {

    private final Supplier<Instant> clock;
    private Instant last = Instant.MIN;

    SourceClock(Supplier<Instant> clock) {
        this.clock = clock;
    }

    Instant next() {
        Instant now = clock.get().truncatedTo(ChronoUnit.MICROS);
        last = now.isAfter(last) ? now : last.plus(1, ChronoUnit.MICROS);
        return last;
    }
}
