package io.tagbridge.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;

class DeadbandTest {

    private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

    private static Deadband deadband(Duration heartbeat, String... rules) {
        List<String> problems = new ArrayList<>();
        Deadband band = new Deadband(DeadbandSettings.of(rules, heartbeat.toSeconds(), problems));
        assertThat(problems).isEmpty();
        return band;
    }

    private static TagValue at(String tag, int second, Object value) {
        return new TagValue(tag, T0.plusSeconds(second), value, Quality.GOOD);
    }

    /** Offers each value alone, as a driver polling once a second does, and gives the values stored. */
    private static List<Object> stored(Deadband band, List<TagValue> values) {
        List<Object> kept = new ArrayList<>();
        for (TagValue v : values) {
            Deadband.Sifted sifted = band.sift(List.of(v));
            band.remember(sifted);
            sifted.kept().forEach(k -> kept.add(k.value()));
        }
        return kept;
    }

    @Test
    void anAbsoluteDeadbandStoresAValueThatMovedMoreThanItFromTheLastStoredOne() {
        Deadband band = deadband(Duration.ZERO, "line1.*=0.5");
        double[] signal = { 20.0, 20.2, 20.4, 20.6, 20.7, 21.0, 21.2, 20.0 };
        List<TagValue> values = new ArrayList<>();
        for (int i = 0; i < signal.length; i++) {
            values.add(at("line1.temp", i, signal[i]));
        }
        assertThat(stored(band, values)).as("20.6 moved 0.6 from 20.0; 21.2 moved 0.6 from 20.6")
                .containsExactly(20.0, 20.6, 21.2, 20.0);
    }

    @Test
    void aPercentDeadbandIsAPercentOfTheLastStoredValueAndAfterAZeroAnyChangePasses() {
        Deadband band = deadband(Duration.ZERO, "*.pressure=10%");
        List<TagValue> values = List.of(at("p.pressure", 0, 100L), at("p.pressure", 1, 109L),
                at("p.pressure", 2, 111L), at("p.pressure", 3, new BigDecimal("0")), at("p.pressure", 4, 0L),
                at("p.pressure", 5, 1L));
        assertThat(stored(band, values)).containsExactly(100L, 111L, new BigDecimal("0"), 1L);
    }

    @Test
    void textBooleanAndQualityChangesAndEachTagsFirstValuePassWhileRepeatsDoNot() {
        Deadband band = deadband(Duration.ZERO, "*=1000");
        List<TagValue> values = List.of(at("state", 0, "RUNNING"), at("state", 1, "RUNNING"),
                at("state", 2, "STOPPED"), at("run", 3, true), at("run", 4, true), at("run", 5, false),
                at("temp", 6, 1.0), at("temp", 7, 2.0),
                new TagValue("temp", T0.plusSeconds(8), 2.0, Quality.BAD), at("temp", 9, 3.0));
        assertThat(stored(band, values)).containsExactly("RUNNING", "STOPPED", true, false, 1.0, 2.0, 3.0);
    }

    @Test
    void theHeartbeatStoresTheFirstValueThatComesThatLongAfterTheLastStoredOneAndInventsNone() {
        Deadband band = deadband(Duration.ofSeconds(10), "flat=5");
        List<TagValue> values = new ArrayList<>();
        for (int second = 0; second < 25; second += 3) {
            values.add(at("flat", second, (double) second / 100));
        }
        assertThat(stored(band, values)).as("at 0 s, then 12 s (the first at 10 s or more), then 24 s")
                .containsExactly(0.0, 0.12, 0.24);
    }

    @Test
    void tagsNoRuleCoversAndOffersOfSeveralValuesOfOneTagAreJudgedInOrder() {
        Deadband band = deadband(Duration.ZERO, "line1.*=1");
        List<TagValue> offer = List.of(at("line2.temp", 0, 1.0), at("line2.temp", 1, 1.0), at("line1.temp", 0, 1.0),
                at("line1.temp", 1, 1.5), at("line1.temp", 2, 2.1));
        Deadband.Sifted sifted = band.sift(offer);
        assertThat(sifted.kept()).extracting(TagValue::tagName, TagValue::value).containsExactly(
                org.assertj.core.groups.Tuple.tuple("line2.temp", 1.0),
                org.assertj.core.groups.Tuple.tuple("line2.temp", 1.0),
                org.assertj.core.groups.Tuple.tuple("line1.temp", 1.0),
                org.assertj.core.groups.Tuple.tuple("line1.temp", 2.1));
        assertThat(sifted.filtered()).isEqualTo(1);
    }

    @Test
    void anOfferNotRememberedLeavesTheLastStoredValueAsItWasSoThatOfferingItAgainIsJudgedTheSame() {
        Deadband band = deadband(Duration.ZERO, "*=1");
        band.remember(band.sift(List.of(at("t", 0, 1.0))));
        List<TagValue> offer = List.of(at("t", 1, 3.0));
        assertThat(band.sift(offer).kept()).as("refused at the door: not remembered").hasSize(1);
        assertThat(band.sift(offer).kept()).as("offered again, it still passes").hasSize(1);
    }
}
