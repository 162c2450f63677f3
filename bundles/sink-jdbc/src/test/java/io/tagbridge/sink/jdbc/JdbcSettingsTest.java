package io.tagbridge.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JdbcSettingsTest {

    @Test
    void theDefaultsAreValid() {
        assertThat(JdbcSettings.problems(Fixtures.config(500, "TAG_VALUES"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "1TABLE", "TAG VALUES", "T;DROP TABLE X", "A.B.C", "\"QUOTED\"", "T-1" })
    void aBadTableNameIsRejectedNamingTheProperty(String name) {
        assertThat(JdbcSettings.problems(Fixtures.config(500, name))).singleElement().asString()
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
    void theDeliverySettingsGoToTheEngineTypedAsTheFormDeclaresThem() {
        assertThat(JdbcSettings.targetProperties(Fixtures.config(250, "TAG_VALUES"))).containsEntry("batchSize", 250)
                .containsEntry("outageMode", "KEEP").containsEntry("name", "default")
                .containsKeys("tagFilter", "writeIntervalSeconds", "retryMax", "retryDelaySeconds",
                        "retryMaxDelaySeconds", "outageProbeSeconds", "refusedSettingsRetrySeconds",
                        "stopFlushSeconds", "replayValuesPerSecond");
    }
}
