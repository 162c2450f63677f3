package io.tagbridge.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.writer.Fixtures.SwitchableDatabase;

/** Runs the writer's real SQL against H2 in Oracle mode. */
class TagTableTest {

    @Test
    void creatingTheTableTwiceIsHarmless() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("create");
        TagTable table = new TagTable(TableName.parse("tag_values"));
        try (Connection c = db.getConnection()) {
            table.createIfMissing(c);
            table.createIfMissing(c);
            assertThat(table.exists(c)).isTrue();
        }
    }

    @Test
    void everyKindOfValueIsStoredInItsColumnWithTheSourceTimeInUtc() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("kinds");
        Instant t = Instant.parse("2026-07-01T12:00:00.123456Z");
        List<TagValue> batch = List.of(
                TagValue.of("long", t, 42L, Quality.GOOD),
                TagValue.of("double", t, 2.5, Quality.UNCERTAIN),
                new TagValue("decimal", t, new BigDecimal("12345678901234567890.123"), Quality.GOOD),
                TagValue.of("text", t, "open", Quality.GOOD),
                TagValue.of("flag", t, true, Quality.GOOD),
                new TagValue("none", t, null, Quality.BAD));

        new BatchInserter(db, new TagTable(TableName.parse("TAG_VALUES")), true).insert(batch);

        try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT TAG_NAME, SOURCE_TIME, NUM_VALUE, STR_VALUE, BOOL_VALUE, QUALITY FROM TAG_VALUES ORDER BY TAG_NAME")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("decimal");
            assertThat(rs.getBigDecimal(3)).isEqualByComparingTo("12345678901234567890.123");
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
    void aFailedBatchLeavesNoRowsBehind() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("atomic");
        BatchInserter inserter = new BatchInserter(db, new TagTable(TableName.parse("TAG_VALUES")), true);
        inserter.insert(List.of(TagValue.of("first", Instant.EPOCH, 1L, Quality.GOOD)));
        try (Connection c = db.getConnection()) {
            c.createStatement().execute("ALTER TABLE TAG_VALUES ADD CONSTRAINT NO_BIG CHECK (NUM_VALUE < 100)");
        }

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> inserter.insert(List.of(
                TagValue.of("ok", Instant.EPOCH, 5L, Quality.GOOD),
                TagValue.of("too big", Instant.EPOCH, 500L, Quality.GOOD))))
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
        BatchInserter inserter = new BatchInserter(closeFails, new TagTable(TableName.parse("TAG_VALUES")), true);

        inserter.insert(List.of(TagValue.of("a", Instant.EPOCH, 1L, Quality.GOOD)));

        assertThat(h2.rows("TAG_VALUES")).isEqualTo(1);
    }
}
