package io.tagbridge.sink.jdbc;

import static io.tagbridge.sink.jdbc.Fixtures.values;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.StoreCheck;
import io.tagbridge.api.pipeline.StoreCheck.Step;
import io.tagbridge.testkit.SwitchableDatabase;

class WriterTagStoreTest {

    private static WriterTagStore store(SwitchableDatabase db, boolean createTable) {
        TagTable table = new TagTable(TableName.parse("TAG_VALUES"), false);
        return new WriterTagStore("test", db, table, createTable,
                new BatchInserter(db, table, createTable, WriteMode.INSERT_FIRST, ConflictPolicy.KEEP_FIRST, "gw-1", new Dialects()));
    }

    @Test
    void aHealthyDatabasePassesEveryStepAndKeepsNoTestRow() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("store-healthy");

        StoreCheck check = store(db, true).check(Duration.ofSeconds(5));

        assertThat(check.steps()).extracting(Step::name).containsExactly("connect", "round trip", "table", "write");
        assertThat(check.passed()).isTrue();
        assertThat(check.steps().get(2).detail()).contains("was created");
        assertThat(db.rows("TAG_VALUES")).isZero();
    }

    @Test
    void theCheckLeavesNoQueryTimeoutOnTheConnectionItGivesBack() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("store-timeout");
        Connection physical = db.h2.getConnection();
        DataSource pool = onePooledConnection(physical);
        TagTable table = new TagTable(TableName.parse("TAG_VALUES"), false);

        new WriterTagStore("test", pool, table, true,
                new BatchInserter(pool, table, true, WriteMode.INSERT_FIRST, ConflictPolicy.KEEP_FIRST, "gw-1", new Dialects()))
                .check(Duration.ofSeconds(5));

        try (var rs = physical.createStatement().executeQuery(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'QUERY_TIMEOUT'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("0");
        }
    }

    /** Like a pool: every borrow gets the same session, and closing gives it back rather than ending it. */
    private static DataSource onePooledConnection(Connection physical) {
        Connection borrowed = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] { Connection.class },
                (proxy, method, args) -> "close".equals(method.getName()) ? null : invoke(method, physical, args));
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
                new Class<?>[] { DataSource.class },
                (proxy, method, args) -> "getConnection".equals(method.getName()) ? borrowed : null);
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void aMissingTableThatMayNotBeCreatedFailsAtTheTableStepAndNamesTheSetting() {
        StoreCheck check = store(new SwitchableDatabase("store-no-table"), false).check(Duration.ofSeconds(5));

        assertThat(check.passed()).isFalse();
        Step last = check.failure().orElseThrow();
        assertThat(check.steps()).last().isEqualTo(last);
        assertThat(last.name()).isEqualTo("table");
        assertThat(last.detail()).contains("does not exist").contains("createTable");
    }

    @Test
    void anUnreachableDatabaseFailsAtTheConnectStepWithAdvice() {
        SwitchableDatabase db = new SwitchableDatabase("store-down");
        db.down.set(true);

        StoreCheck check = store(db, true).check(Duration.ofSeconds(5));

        assertThat(check.steps()).hasSize(1);
        assertThat(check.steps().get(0).passed()).isFalse();
        assertThat(check.steps().get(0).detail()).contains("Network Adapter");
    }

    @Test
    void readingBackFindsOnlyTagsWithThePrefixTakenLiterally() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("store-read");
        WriterTagStore store = store(db, true);
        var inserter = new BatchInserter(db, new TagTable(TableName.parse("TAG_VALUES"), false),
                true, WriteMode.MERGE, ConflictPolicy.KEEP_FIRST, "gw", new Dialects());
        inserter.insert(values(0, 3), false);
        inserter.insert(List.of(Fixtures.received(TagValue.of("tagX1", java.time.Instant.EPOCH, "x", Quality.BAD))),
                false);

        List<TagValue> read = new ArrayList<>();
        long rows = store.read("tag_", read::add);

        assertThat(rows).isZero();
        assertThat(store.read("tag1", read::add)).isEqualTo(1);
        assertThat(read).singleElement().satisfies(v -> {
            assertThat(v.value()).isEqualTo(new BigDecimal(1));
            assertThat(v.sourceTime()).isEqualTo(values(1, 2).get(0).value().sourceTime());
        });
    }
}
