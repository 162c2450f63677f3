package io.tagbridge.buffer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.Diagnosis;
import io.tagbridge.api.pipeline.ReceivedValue;

/**
 * The door's clock guard: a value whose source time is before the floor (a device or a gateway that started at
 * 1970, or at a time saved long ago) or too far ahead of the gateway's clock would be stored under a wrong key, or
 * collide with another. Its policy refuses the offer, stores such values at the time they were received, marked
 * UNCERTAIN, or lets them pass; either way they are counted, and health says so with an example.
 */
final class ClockGuard {

    /** How long health shows that suspect source times came. */
    static final Duration SHOWN = Duration.ofMinutes(5);
    /** The OPC DA quality bits a value keeps when it is marked UNCERTAIN: the limit bits. */
    private static final int LIMIT_BITS = 0x03;

    /** What the guard made of an offer: the values to append, or why the offer is refused. */
    record Checked(List<TagValue> values, String refusal) {
    }

    /** The newest suspect value seen, for health. */
    private record Seen(String tag, Instant sourceTime, Instant at, String became) {
    }

    private final Supplier<ClockSettings> settings;
    private final AtomicLong suspect = new AtomicLong();
    private volatile Seen last;

    ClockGuard(Supplier<ClockSettings> settings) {
        this.settings = settings;
    }

    /** Checks an offer at {@code nowMicros}, the gateway's clock as the journal stamps received times. */
    Checked check(List<TagValue> values, long nowMicros) {
        ClockSettings s = settings.get();
        Instant now = instant(nowMicros);
        Instant latest = now.plus(s.maxFuture());
        int first = -1;
        int count = 0;
        for (int i = 0; i < values.size(); i++) {
            Instant t = values.get(i).sourceTime();
            if (t.isBefore(s.floor()) || t.isAfter(latest)) {
                count++;
                first = first < 0 ? i : first;
            }
        }
        if (count == 0) {
            return new Checked(values, null);
        }
        TagValue example = values.get(first);
        String what = count + " of " + values.size() + " values have a suspect source time, such as " + example
                .tagName() + " at " + example.sourceTime() + " (the floor is " + s.floor() + ", the gateway's clock "
                + now + ", at most " + s.maxFuture().toSeconds() + " s ahead)";
        boolean gatewayClockWrong = now.isBefore(s.floor());
        if (s.policy() == ClockPolicy.REFUSE
                || s.policy() == ClockPolicy.USE_RECEIVED_TIME && gatewayClockWrong) {
            last = new Seen(example.tagName(), example.sourceTime(), now, "refused");
            return new Checked(null, what + (gatewayClockWrong ? "; the gateway's own clock is before the floor "
                    + "too, so its time cannot stand in" : "") + ". Set the device's and the gateway's clock (NTP); "
                    + "clockPolicy USE_RECEIVED_TIME stores such values at the time they were received, marked "
                    + "UNCERTAIN");
        }
        suspect.addAndGet(count);
        if (s.policy() == ClockPolicy.ACCEPT) {
            last = new Seen(example.tagName(), example.sourceTime(), now, "stored as they came");
            return new Checked(values, null);
        }
        last = new Seen(example.tagName(), example.sourceTime(), now, "stored at their received time, marked "
                + "UNCERTAIN");
        return new Checked(atReceivedTime(values, s, now, latest), null);
    }

    /**
     * The offer with its suspect values at the gateway's time, one microsecond apart so that several values of
     * one tag keep keys of their own, and their quality UNCERTAIN with the limit bits the device gave.
     */
    private static List<TagValue> atReceivedTime(List<TagValue> values, ClockSettings s, Instant now,
            Instant latest) {
        List<TagValue> out = new ArrayList<>(values.size());
        long k = 0;
        for (TagValue v : values) {
            Instant t = v.sourceTime();
            if (t.isBefore(s.floor()) || t.isAfter(latest)) {
                out.add(new TagValue(v.tagName(), now.plusNanos(1000 * k++), v.value(),
                        Quality.of(Quality.UNCERTAIN.code() | v.quality().code() & LIMIT_BITS)));
            } else {
                out.add(v);
            }
        }
        return out;
    }

    /** Values accepted with a suspect source time since start. */
    long suspectValues() {
        return suspect.get();
    }

    /** CLOCK_SUSPECT while suspect source times came in the last few minutes, with the newest; else null. */
    Diagnosis recent(Instant now) {
        Seen seen = last;
        if (seen == null || seen.at().plus(SHOWN).isBefore(now)) {
            return null;
        }
        return Diagnosis.of("CLOCK_SUSPECT", "values came with suspect source times (a device's or the gateway's "
                + "clock is wrong), the newest " + seen.tag() + " at " + seen.sourceTime() + " at " + seen.at()
                + ", " + seen.became() + " (clockPolicy " + settings.get().policy() + "). Set the clocks (NTP); "
                + "the counts are in the metrics (refused CLOCK_SUSPECT, valuesClockSuspect)");
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }
}
