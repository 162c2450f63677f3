package io.tagbridge.sink.jdbc;

import static io.tagbridge.sink.jdbc.Fixtures.received;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLSyntaxErrorException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.sink.FailureKind;
import io.tagbridge.testkit.SwitchableDatabase;

/**
 * Runs the writer's real SQL against H2 in Oracle mode. Where H2 cannot run an Oracle construct (the partitioning
 * clause, the IGNORE_ROW_ON_DUPKEY_INDEX hint, which H2 ignores as a comment) the generated text is checked instead.
 */
class TagTableTest {

    private static TagTable table(String name) {
        return new TagTable(TableName.parse(name), false);
    }

    @Test
    void creatingTheTableTwiceIsHarmless() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("create");
        TagTable table = table("tag_values");
        try (Connection c = db.getConnection()) {
            table.prepare(c, true, new H2Dialect());
            table.prepare(c, true, new H2Dialect());
            assertThat(table.columns(c)).containsExactlyElementsOf(TagTable.COLUMNS);
        }
    }

    @Test
    void aMissingTableIsNamedWhenCreatingIsOff() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("nocreate");
        try (Connection c = db.getConnection()) {
            assertThatThrownBy(() -> table("NOT_THERE").prepare(c, false, new H2Dialect()))
                    .isInstanceOf(SQLSyntaxErrorException.class).hasMessageContaining("NOT_THERE does not exist")
                    .satisfies(e -> assertThat(SqlErrors.classify(e)).isEqualTo(FailureKind.REFUSED_SETTINGS));
        }
    }

    @Test
    void anExistingTableOfAnotherShapeIsRefusedAndLeftAlone() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("othershape");
        try (Connection c = db.getConnection()) {
            c.createStatement().execute("CREATE TABLE TAG_VALUES (TAG_NAME VARCHAR2(10), SOURCE_TIME TIMESTAMP)");
            assertThatThrownBy(() -> table("TAG_VALUES").prepare(c, true, new H2Dialect()))
                    .hasMessageContaining("lacks the columns NUM_VALUE, STR_VALUE, BOOL_VALUE, QUALITY, RECEIVED_TIME, GATEWAY_ID")
                    .hasMessageContaining("never alters");
            assertThat(table("TAG_VALUES").columns(c)).containsExactly("TAG_NAME", "SOURCE_TIME");
        }
    }

    @Test
    void everyKindOfValueIsStoredInItsColumnWithBothTimesInUtcAndTheGatewayId() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("kinds");
        Instant t = Instant.parse("2026-07-01T12:00:00.123456Z");
        List<ReceivedValue> batch = List.of(
                received(TagValue.of("long", t, 42L, Quality.GOOD)),
                received(TagValue.of("double", t, 2.5, Quality.UNCERTAIN)),
                received(new TagValue("decimal", t, new BigDecimal("12345678901234567890.123"), Quality.GOOD)),
                received(TagValue.of("text", t, "open", Quality.GOOD)),
                received(TagValue.of("flag", t, true, Quality.GOOD)),
                received(new TagValue("none", t, null, Quality.BAD)));

        Fixtures.inserter(db, WriteMode.INSERT_FIRST, ConflictPolicy.KEEP_FIRST).insert(batch, false);

        try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT TAG_NAME, SOURCE_TIME, NUM_VALUE, STR_VALUE, BOOL_VALUE, QUALITY, RECEIVED_TIME, GATEWAY_ID "
                        + "FROM TAG_VALUES ORDER BY TAG_NAME")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("decimal");
            assertThat(rs.getBigDecimal(3)).isEqualByComparingTo("12345678901234567890.123");
            assertThat(rs.getObject(7, LocalDateTime.class)).isEqualTo(LocalDateTime.parse("2026-01-01T00:00:05"));
            assertThat(rs.getString(8)).isEqualTo("gw-1");
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("double");
            assertThat(rs.getDouble(3)).isEqualTo(2.5);
            assertThat(rs.getInt(6)).isEqualTo(64);
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("flag");
            assertThat(rs.getInt(5)).isEqualTo(1);
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("long");
            assertThat(rs.getObject(2, LocalDateTime.class)).isEqualTo(LocalDateTime.parse("2026-07-01T12:00:00.123456"));
            assertThat(rs.getLong(3)).isEqualTo(42L);
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("none");
            assertThat(rs.getObject(3)).isNull();
            assertThat(rs.getObject(4)).isNull();
            assertThat(rs.getObject(5)).isNull();
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("text");
            assertThat(rs.getString(4)).isEqualTo("open");
        }
    }

    @Test
    void writingTheSameBatchTwiceWithMergeLeavesOneCopyOfEachRow() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("merge");
        BatchInserter inserter = Fixtures.inserter(db, WriteMode.INSERT_FIRST, ConflictPolicy.KEEP_FIRST);
        inserter.insert(Fixtures.values(0, 100), false);

        inserter.insert(Fixtures.values(50, 150), false);

        assertThat(db.rows("TAG_VALUES")).isEqualTo(150);
    }

    @Test
    void plainInsertRefusesARepeatedRowAsBadData() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("insert");
        BatchInserter inserter = Fixtures.inserter(db, WriteMode.INSERT, ConflictPolicy.KEEP_FIRST);
        inserter.insert(Fixtures.values(0, 10), false);

        assertThatThrownBy(() -> inserter.insert(Fixtures.values(5, 6), false))
                .satisfies(e -> assertThat(SqlErrors.classify(e)).isEqualTo(FailureKind.BAD_DATA));
        assertThat(db.rows("TAG_VALUES")).isEqualTo(10);
    }

    @ParameterizedTest
    @EnumSource(WriteMode.class)
    void everyWriteStatementBindsEveryColumn(WriteMode mode) {
        String sql = table("SCADA.TAG_VALUES").writeSql(mode, new OracleDialect());
        assertThat(sql.chars().filter(ch -> ch == '?').count()).isEqualTo(TagTable.COLUMNS.size());
        assertThat(sql).contains("SCADA.TAG_VALUES").doesNotContain("'");
    }

    @Test
    void theDuplicateHintNamesThePrimaryKeyIndex() {
        assertThat(table("SCADA.TAG_VALUES").writeSql(WriteMode.IGNORE_DUPLICATES_HINT, new OracleDialect())).startsWith(
                "INSERT /*+ IGNORE_ROW_ON_DUPKEY_INDEX(t, TAG_VALUES_PK) */ INTO SCADA.TAG_VALUES t (TAG_NAME, ");
    }

    @Test
    void dailyPartitioningIsIntervalPartitioningOnSourceTimeWithALocalKey() throws Exception {
        String ddl = new TagTable(TableName.parse("TAG_VALUES"), true).createSql(new OracleDialect());
        assertThat(ddl).contains("CONSTRAINT TAG_VALUES_PK PRIMARY KEY (TAG_NAME, SOURCE_TIME) USING INDEX LOCAL)")
                .endsWith(" PARTITION BY RANGE (SOURCE_TIME) INTERVAL (NUMTODSINTERVAL(1, 'DAY'))"
                        + " (PARTITION P_START VALUES LESS THAN (TIMESTAMP '2000-01-01 00:00:00'))");
    }

    @Test
    void aFailedBatchLeavesNoRowsBehind() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("atomic");
        BatchInserter inserter = Fixtures.inserter(db, WriteMode.INSERT_FIRST, ConflictPolicy.KEEP_FIRST);
        inserter.insert(List.of(received(TagValue.of("first", Instant.EPOCH, 1L, Quality.GOOD))), false);
        try (Connection c = db.getConnection()) {
            c.createStatement().execute("ALTER TABLE TAG_VALUES ADD CONSTRAINT NO_BIG CHECK (NUM_VALUE < 100)");
        }

        assertThatThrownBy(() -> inserter.insert(List.of(
                received(TagValue.of("ok", Instant.EPOCH, 5L, Quality.GOOD)),
                received(TagValue.of("too big", Instant.EPOCH, 500L, Quality.GOOD))), false))
                .isInstanceOf(java.sql.SQLException.class);

        assertThat(db.rows("TAG_VALUES")).isEqualTo(1);
    }

    @Test
    void aConnectionLostAfterTheCommitDoesNotFailTheBatch() throws Exception {
        SwitchableDatabase h2 = new SwitchableDatabase("lostafter");
        javax.sql.DataSource closeFails = (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] { javax.sql.DataSource.class }, (p, m, a) -> {
                    if (!m.getName().equals("getConnection")) {
                        return m.invoke(h2, a);
                    }
                    Connection real = h2.getConnection();
                    return java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                            new Class<?>[] { Connection.class }, (p2, m2, a2) -> {
                                if (m2.getName().equals("close")) {
                                    real.close();
                                    throw new java.sql.SQLException("Connection is broken: \"session closed\"", "90067");
                                }
                                try {
                                    return m2.invoke(real, a2);
                                } catch (java.lang.reflect.InvocationTargetException e) {
                                    throw e.getCause();
                                }
                            });
                });
        BatchInserter inserter = Fixtures.inserter(closeFails, WriteMode.INSERT_FIRST, ConflictPolicy.KEEP_FIRST);

        inserter.insert(List.of(received(TagValue.of("a", Instant.EPOCH, 1L, Quality.GOOD))), false);

        assertThat(h2.rows("TAG_VALUES")).isEqualTo(1);
    }
}
