package io.tagbridge.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tagbridge.api.sink.OutageMode;
import io.tagbridge.sink.jdbc.WriterConfig;
import io.tagbridge.testkit.ConfigDefaults;

class TargetSettingsTest {

    @Test
    void aSinkThatSetsOnlyItsNameGetsTheDefaults() {
        TargetSettings.Read read = TargetSettings.read(Map.of("name", "plant"));

        assertThat(read.problems()).isEmpty();
        assertThat(read.settings().batchSize()).isEqualTo(ConfigDefaults.of(TargetConfig.class, "batchSize"));
        assertThat(read.settings().writeInterval()).isEqualTo(Duration.ofMillis(Math.round(
                ConfigDefaults.<Double>of(TargetConfig.class, "writeIntervalSeconds") * 1000)));
        assertThat(read.settings().outageMode()).isEqualTo(ConfigDefaults.of(TargetConfig.class, "outageMode"));
    }

    @Test
    void settingsWrittenAsTextInAnEtcFileAreReadAsTheirTypes() {
        TargetSettings.Read read = TargetSettings.read(Map.of("name", "plant", "batchSize", "250",
                "writeIntervalSeconds", "0.25", "outageMode", "backup", "tagFilter", "line1.*, line2.*"));

        assertThat(read.problems()).isEmpty();
        assertThat(read.settings().batchSize()).isEqualTo(250);
        assertThat(read.settings().writeInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(read.settings().outageMode()).isEqualTo(OutageMode.BACKUP);
        assertThat(read.settings().tagFilter()).containsExactly("line1.*", "line2.*");
    }

    @Test
    void badSettingsAreRejectedEachNamingItsProperty() {
        TargetSettings.Read read = TargetSettings.read(Map.of("name", " ", "batchSize", -5, "retryMax", "many",
                "outageMode", "SOMETIMES", "writeConnections", 17));

        assertThat(read.settings()).isNull();
        assertThat(read.problems()).containsExactly("name is empty",
                "batchSize is -5 but must be between 1 and 100000", "writeConnections is 17 but must be between 1 "
                        + "and 16", "retryMax is 'many' but must be a whole number",
                "outageMode is 'SOMETIMES' but must be one of KEEP, BACKUP");
    }

    @Test
    void liveFirstIsOffByDefaultAndItsSettingsAreReadAndChecked() {
        assertThat(TargetSettings.read(Map.of("name", "plant")).settings().liveFirst().on()).isFalse();

        TargetSettings.Read on = TargetSettings.read(Map.of("name", "plant", "liveFirst", "TRUE",
                "liveFirstAfterSeconds", "2.5"));
        assertThat(on.problems()).isEmpty();
        assertThat(on.settings().liveFirst()).isEqualTo(new TargetSettings.LiveFirst(true, Duration.ofMillis(2500)));

        assertThat(TargetSettings.read(Map.of("name", "plant", "liveFirst", "yes", "liveFirstAfterSeconds", 0))
                .problems()).containsExactly("liveFirst is 'yes' but must be true or false",
                        "liveFirstAfterSeconds is 0.0 but must be more than 0");
    }

    @Test
    void valuesAreKeptHoweverOldByDefaultAndAMaximumAgeIsReadInHoursAndChecked() {
        assertThat(TargetSettings.read(Map.of("name", "plant")).settings().expiry())
                .isEqualTo(TargetSettings.Expiry.OFF);

        TargetSettings.Read read = TargetSettings.read(Map.of("name", "plant", "maxAgeHours", "0.5",
                "expiredValues", "archive"));
        assertThat(read.problems()).isEmpty();
        assertThat(read.settings().expiry()).isEqualTo(new TargetSettings.Expiry(Duration.ofMinutes(30), true));

        assertThat(TargetSettings.read(Map.of("name", "plant", "maxAgeHours", -1, "expiredValues", "KEEP"))
                .problems()).containsExactly("maxAgeHours is -1.0 but must be 0 (keep values however old) or more",
                        "expiredValues is 'KEEP' but must be one of DROP, ARCHIVE");
    }

    @Test
    void aListLeftBlankInTheConsoleFiltersNothing() {
        assertThat(TargetSettings.globs(new String[] { "" })).isEmpty();
    }

    /** The JDBC sink's configuration form shows the defaults the engine applies, not a copy that drifts. */
    @Test
    void theWriterConfigurationFormShowsTheEnginesDefaults() throws Exception {
        for (Method engine : TargetConfig.class.getDeclaredMethods()) {
            if (engine.getDefaultValue() == null) {
                continue;
            }
            Object form = WriterConfig.class.getMethod(engine.getName()).getDefaultValue();
            assertThat(form).as(engine.getName()).isEqualTo(engine.getDefaultValue());
        }
    }
}
