package io.tagbridge.writer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class WriterSettingsTest {

    @Test
    void theDefaultsAreValid() {
        assertThat(WriterSettings.problems(Fixtures.config(500, "TAG_VALUES"))).isEmpty();
    }

    @Test
    void aNegativeBatchSizeIsRejectedNamingTheProperty() {
        assertThat(WriterSettings.problems(Fixtures.config(-5, "TAG_VALUES")))
                .containsExactly("batchSize is -5 but must be between 1 and 100000");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "1TABLE", "TAG VALUES", "T;DROP TABLE X", "A.B.C", "\"QUOTED\"", "T-1" })
    void aBadTableNameIsRejectedNamingTheProperty(String name) {
        assertThat(WriterSettings.problems(Fixtures.config(500, name))).singleElement().asString()
                .startsWith("tableName ");
    }

    @ParameterizedTest
    @ValueSource(strings = { "TAG_VALUES", "scada.tag_values", "T$1#" })
    void plainOracleIdentifiersAreAccepted(String name) {
        assertThat(TableName.problem(name)).isNull();
    }

    @Test
    void tableNamesAreFoldedToUpperCaseAsOracleDoes() {
        assertThat(TableName.parse("scada.tag_values").sql()).isEqualTo("SCADA.TAG_VALUES");
    }

    @Test
    void aTagFilterFromAnEtcFileHoldsSeveralGlobsSeparatedByCommas() {
        assertThat(WriterSettings.globs(new String[] { "line1.*, line2.*", "", "line3.?" }))
                .containsExactly("line1.*", "line2.*", "line3.?");
        assertThat(WriterSettings.globs(new String[] { "" })).as("a list left blank in the console").isEmpty();
    }
}
