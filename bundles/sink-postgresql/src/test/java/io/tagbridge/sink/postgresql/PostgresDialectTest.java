package io.tagbridge.sink.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLSyntaxErrorException;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The statements' text; PostgresTargetTest (itests) runs them against a real server. */
class PostgresDialectTest {

    private final PostgresDialect dialect = new PostgresDialect();

    @Test
    void theDuplicateSafeInsertDoesNothingOnTheNaturalKey() {
        assertThat(dialect.insertIfAbsent("T", List.of("TAG_NAME", "SOURCE_TIME")))
                .isEqualTo("INSERT INTO T (TAG_NAME, SOURCE_TIME) VALUES (?, ?) ON CONFLICT (TAG_NAME, SOURCE_TIME) "
                        + "DO NOTHING");
    }

    @Test
    void partitioningByDayIsRefusedNamingTheSettingAndWhatToDo() {
        assertThatThrownBy(() -> dialect.createTable("T", "T_PK", true)).isInstanceOf(SQLSyntaxErrorException.class)
                .hasMessageContaining("partitionByDay is for Oracle only").hasMessageContaining("createTable off");
    }

    @Test
    void commitsNeedNoCheckpoint() {
        assertThat(dialect.makeDurable()).isNull();
    }
}
