package io.tagbridge.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.ReceivedValue;

/** The clock guard on its own: which source times are suspect, and what each policy makes of them. */
class ClockGuardTest {

    private static final Instant FLOOR = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final long NOW_MICROS = ReceivedValue.micros(NOW);

    private static ClockGuard guard(ClockPolicy policy) {
        ClockSettings settings = new ClockSettings(policy, FLOOR, Duration.ofHours(1));
        return new ClockGuard(() -> settings);
    }

    private static TagValue value(String tag, Instant at, int quality) {
        return new TagValue(tag, at, 1.5, Quality.of(quality));
    }

    @Test
    void sourceTimesBetweenTheFloorAndAnHourAheadPassUntouchedAndUncounted() {
        ClockGuard guard = guard(ClockPolicy.REFUSE);
        List<TagValue> values = List.of(value("a", FLOOR, 0xC0), value("b", NOW.plusSeconds(3600), 0xC0));

        ClockGuard.Checked checked = guard.check(values, NOW_MICROS);

        assertThat(checked.refusal()).isNull();
        assertThat(checked.values()).isSameAs(values);
        assertThat(guard.suspectValues()).isZero();
        assertThat(guard.recent(NOW)).isNull();
    }

    @Test
    void refuseRefusesTheOfferNamingASuspectValueAndHealthShowsIt() {
        ClockGuard guard = guard(ClockPolicy.REFUSE);
        ClockGuard.Checked checked = guard.check(List.of(value("ok", NOW, 0xC0),
                value("plc1.boot", Instant.parse("1970-01-01T00:00:05Z"), 0xC0)), NOW_MICROS);

        assertThat(checked.values()).isNull();
        assertThat(checked.refusal()).contains("1 of 2 values", "plc1.boot at 1970-01-01T00:00:05Z",
                "USE_RECEIVED_TIME");
        assertThat(guard.suspectValues()).as("refusals are counted by the door").isZero();
        assertThat(guard.recent(NOW).reason()).isEqualTo("CLOCK_SUSPECT");
        assertThat(guard.recent(NOW).advice()).contains("plc1.boot", "refused");
        assertThat(guard.recent(NOW.plus(ClockGuard.SHOWN).plusSeconds(1))).as("after a while").isNull();
    }

    @Test
    void useReceivedTimeStoresSuspectValuesAtTheGatewaysTimeKeyedApartMarkedUncertainWithTheirLimitBits() {
        ClockGuard guard = guard(ClockPolicy.USE_RECEIVED_TIME);
        TagValue good = value("t", NOW.minusSeconds(1), 0xC0);
        ClockGuard.Checked checked = guard.check(List.of(value("t", Instant.EPOCH, 0xC1), good,
                value("t", NOW.plus(Duration.ofDays(400)), 0xC3)), NOW_MICROS);

        assertThat(checked.refusal()).isNull();
        assertThat(checked.values()).extracting(TagValue::sourceTime).containsExactly(NOW, good.sourceTime(),
                NOW.plusNanos(1000));
        assertThat(checked.values()).extracting(v -> v.quality().code()).containsExactly(0x41, 0xC0, 0x43);
        assertThat(checked.values()).extracting(TagValue::value).containsOnly(1.5);
        assertThat(guard.suspectValues()).isEqualTo(2);
        assertThat(guard.recent(NOW).advice()).contains("received time", "UNCERTAIN");
    }

    @Test
    void useReceivedTimeRefusesWhileTheGatewaysOwnClockIsBeforeTheFloor() {
        ClockGuard guard = guard(ClockPolicy.USE_RECEIVED_TIME);
        Instant gatewayAt1970 = Instant.parse("1970-01-01T00:01:00Z");

        ClockGuard.Checked checked = guard.check(List.of(value("t", Instant.EPOCH, 0xC0)),
                ReceivedValue.micros(gatewayAt1970));

        assertThat(checked.refusal()).contains("the gateway's own clock is before the floor");
        assertThat(guard.suspectValues()).isZero();
    }

    @Test
    void acceptStoresSuspectValuesAsTheyCameAndCountsThem() {
        ClockGuard guard = guard(ClockPolicy.ACCEPT);
        List<TagValue> values = List.of(value("t", Instant.EPOCH, 0xC0));

        ClockGuard.Checked checked = guard.check(values, NOW_MICROS);

        assertThat(checked.values()).isSameAs(values);
        assertThat(guard.suspectValues()).isEqualTo(1);
        assertThat(guard.recent(NOW).advice()).contains("stored as they came");
    }
}
