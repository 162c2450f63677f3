package io.tagbridge.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.tagbridge.api.sink.OutageMode;
import io.tagbridge.testkit.ConfigDefaults;

class JdbcSettingsTest {

    /** The form's batch size and table (see ConfigDefaults), for a configuration that changes neither. */
    private static final int BATCH_SIZE = ConfigDefaults.of(WriterConfig.class, "batchSize");
    private static final String TABLE = ConfigDefaults.of(WriterConfig.class, "tableName");

    @Test
    void theDefaultsAreValid() {
        assertThat(JdbcSettings.problems(Fixtures.config(BATCH_SIZE, TABLE))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "1TABLE", "TAG VALUES", "T;DROP TABLE X", "A.B.C", "\"QUOTED\"", "T-1" })
    void aBadTableNameIsRejectedNamingTheProperty(String name) {
        assertThat(JdbcSettings.problems(Fixtures.config(BATCH_SIZE, name))).singleElement().asString()
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
        assertThat(JdbcSettings.targetProperties(Fixtures.config(250, TABLE))).containsEntry("batchSize", 250)
                .containsEntry("outageMode", ConfigDefaults.<OutageMode>of(WriterConfig.class, "outageMode").name())
                .containsEntry("name", ConfigDefaults.of(WriterConfig.class, "name"))
                .containsKeys("tagFilter", "writeIntervalSeconds", "retryMax", "retryDelaySeconds",
                        "retryMaxDelaySeconds", "outageProbeSeconds", "refusedSettingsRetrySeconds",
                        "stopFlushSeconds", "replayValuesPerSecond", "catchUpBatchSize", "writeConnections");
    }

    @Test
    void aTargetWritesThroughAtMostAllItsPoolsConnectionsButOne() {
        assertThat(JdbcSettings.writeConnections(2, 5)).isEqualTo(2);
        assertThat(JdbcSettings.writeConnections(8, 5)).isEqualTo(4);
        assertThat(JdbcSettings.writeConnections(3, 2)).isEqualTo(1);
        assertThat(JdbcSettings.writeConnections(3, 1)).as("a pool of one still writes").isEqualTo(1);
        assertThat(JdbcSettings.writeConnections(3, null)).as("a pool that does not say its maximum").isEqualTo(3);
    }
}
