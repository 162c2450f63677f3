package io.tagbridge.simulator;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;

/**
 * Makes plausible values: most tags are slow sine waves, every tenth is a running/stopped flag, every
 * twenty-fifth a text state; now and then a reading comes with an uncertain quality.
 *
 * <p>Each value gets its own source time, a microsecond after the one before when the clock has not moved on:
 * a value's key is its tag and source time, and at more values per second than tags times ticks a tick holds a
 * tag more than once, which with one time for the whole tick would be conflicts, not rows.
 */
final class SignalGenerator {

    private static final String[] STATES = { "RUNNING", "IDLE", "SETUP", "FAULT" };

    private final String[] names;
    private long sequence;
    private Instant last = Instant.MIN;

    SignalGenerator(String prefix, int tagCount) {
        names = new String[tagCount];
        for (int i = 0; i < tagCount; i++) {
            names[i] = prefix + i;
        }
    }

    List<TagValue> next(int count, Instant now) {
        List<TagValue> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++, sequence++) {
            int tag = (int) (sequence % names.length);
            long round = sequence / names.length;
            Quality quality = round % 97 == tag % 97 ? Quality.UNCERTAIN : Quality.GOOD;
            values.add(new TagValue(names[tag], sourceTime(now), value(tag, round), quality));
        }
        return values;
    }

    private Instant sourceTime(Instant now) {
        Instant micros = now.truncatedTo(ChronoUnit.MICROS);
        last = micros.isAfter(last) ? micros : last.plus(1, ChronoUnit.MICROS);
        return last;
    }

    private static Object value(int tag, long round) {
        if (tag % 25 == 24) {
            return STATES[(int) ((round / 50 + tag) % STATES.length)];
        }
        if (tag % 10 == 9) {
            return (round / 20 + tag) % 2 == 0;
        }
        return Math.round((50 + 40 * Math.sin((round + tag * 7) / 30.0)) * 1000) / 1000.0;
    }
}
