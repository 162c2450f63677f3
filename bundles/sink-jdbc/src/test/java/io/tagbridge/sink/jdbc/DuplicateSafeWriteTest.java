package io.tagbridge.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.sink.WriteResult;
import io.tagbridge.testkit.SwitchableDatabase;

/** The default write mode and the duplicate-safe way, against H2 in Oracle mode. */
class DuplicateSafeWriteTest {

    private static final Instant SOURCE = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant RECEIVED = Instant.parse("2026-01-01T00:00:05Z");

    private static BatchInserter inserter(SwitchableDatabase db, WriteMode mode, ConflictPolicy policy) {
        return Fixtures.inserter(db, mode, policy);
    }

    private static ReceivedValue value(String tag, Object value, Instant received) {
        return new ReceivedValue(new TagValue(tag, SOURCE, value, Quality.GOOD), ReceivedValue.micros(received));
    }

    private static Object stored(SwitchableDatabase db, String tag) throws Exception {
        try (Connection c = db.h2.getConnection(); ResultSet rs = c.createStatement()
                .executeQuery("SELECT NUM_VALUE FROM TAG_VALUES WHERE TAG_NAME = '" + tag + "'")) {
            rs.next();
            return rs.getBigDecimal(1).doubleValue();
        }
    }

    @Test
    void insertFirstWritesANewBatchWhole() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("safe-fresh");

        WriteResult stored = inserter(db, WriteMode.INSERT_FIRST, ConflictPolicy.KEEP_FIRST)
                .insert(Fixtures.values(0, 100), false);

        assertThat(stored).isEqualTo(WriteResult.allWritten(100));
        assertThat(db.rows("TAG_VALUES")).isEqualTo(100);
    }

    @Test
    void insertFirstWritesABatchThatMeetsStoredRowsAgainDuplicateSafe() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("safe-overlap");
        BatchInserter inserter = inserter(db, WriteMode.INSERT_FIRST, ConflictPolicy.KEEP_FIRST);
        inserter.insert(Fixtures.values(0, 100), false);

        WriteResult stored = inserter.insert(Fixtures.values(50, 150), false);

        assertThat(stored.written()).isEqualTo(50);
        assertThat(stored.alreadyStored()).isEqualTo(50);
        assertThat(stored.conflicting()).isZero();
        assertThat(db.rows("TAG_VALUES")).isEqualTo(150);
    }

    @Test
    void aBatchThatMayHaveBeenWrittenBeforeIsStoredOnceByTheDuplicateSafeWay() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("safe-repeat");
        BatchInserter inserter = inserter(db, WriteMode.INSERT_FIRST, ConflictPolicy.KEEP_FIRST);
        inserter.insert(Fixtures.values(0, 500), true);

        WriteResult again = inserter.insert(Fixtures.values(0, 500), true);

        assertThat(again.alreadyStored()).isEqualTo(500);
        assertThat(db.rows("TAG_VALUES")).isEqualTo(500);
    }

    @Test
    void aLookupAsksForAllTheRowsItCanFindInOneFetch() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("safe-fetch");
        inserter(db, WriteMode.INSERT_FIRST, ConflictPolicy.KEEP_FIRST).insert(Fixtures.values(0, 250), false);
        TagTable table = new TagTable(TableName.parse("TAG_VALUES"), false);
        try (java.sql.Connection c = db.getConnection();
                java.sql.PreparedStatement lookup = c.prepareStatement(table.lookupSql(StoredRows.KEYS_PER_LOOKUP))) {
            assertThat(StoredRows.lookup(lookup, Fixtures.values(0, 250))).hasSize(250);
            assertThat(lookup.getFetchSize()).as("rows per fetch: Oracle's driver would fetch 10 per round trip")
                    .isEqualTo(StoredRows.KEYS_PER_LOOKUP);
        }
    }

    @Test
    void plainInsertModeReplaysDuplicateSafeToo() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("safe-plain");
        BatchInserter inserter = inserter(db, WriteMode.INSERT, ConflictPolicy.KEEP_FIRST);
        inserter.insert(Fixtures.values(0, 10), false);

        WriteResult replayed = inserter.insert(Fixtures.values(0, 20), true);

        assertThat(replayed.written()).isEqualTo(10);
        assertThat(replayed.alreadyStored()).isEqualTo(10);
    }

    @Test
    void anotherValueForAStoredKeyIsAConflictAndKeepFirstKeepsTheRow() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("safe-keepfirst");
        BatchInserter inserter = inserter(db, WriteMode.INSERT_FIRST, ConflictPolicy.KEEP_FIRST);
        inserter.insert(List.of(value("a", 1.0, RECEIVED)), false);

        WriteResult stored = inserter.insert(List.of(value("a", 2.0, RECEIVED.plusSeconds(1))), false);

        assertThat(stored.conflicting()).isEqualTo(1);
        assertThat(stored.alreadyStored()).isEqualTo(1);
        assertThat(stored.conflicts()).contains("2.0").contains("stored 1");
        assertThat(stored(db, "a")).isEqualTo(1.0);
    }

    @Test
    void keepLastReplacesTheRowOnlyWithAValueReceivedLater() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("safe-keeplast");
        BatchInserter inserter = inserter(db, WriteMode.INSERT_FIRST, ConflictPolicy.KEEP_LAST);
        inserter.insert(List.of(value("a", 1.0, RECEIVED)), false);

        WriteResult newer = inserter.insert(List.of(value("a", 2.0, RECEIVED.plusSeconds(1))), false);
        assertThat(newer.written()).isEqualTo(1);
        assertThat(newer.conflicting()).isEqualTo(1);
        assertThat(stored(db, "a")).isEqualTo(2.0);

        WriteResult older = inserter.insert(List.of(value("a", 3.0, RECEIVED.minusSeconds(60))), true);
        assertThat(older.written()).as("an old replayed value never overwrites a newer arrival").isZero();
        assertThat(older.alreadyStored()).isEqualTo(1);
        assertThat(older.conflicting()).isEqualTo(1);
        assertThat(stored(db, "a")).isEqualTo(2.0);
    }

    @Test
    void backupPolicyHandsTheConflictingValuesBackForABackupFile() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("safe-backupconflict");
        BatchInserter inserter = inserter(db, WriteMode.INSERT_FIRST, ConflictPolicy.BACKUP);
        inserter.insert(List.of(value("a", 1.0, RECEIVED)), false);
        ReceivedValue conflicting = value("a", 2.0, RECEIVED);

        WriteResult stored = inserter.insert(List.of(conflicting, value("b", 1.0, RECEIVED)), false);

        assertThat(stored.toBackUp()).containsExactly(conflicting);
        assertThat(stored.written()).isEqualTo(1);
        assertThat(stored.alreadyStored()).isZero();
        assertThat(db.rows("TAG_VALUES")).isEqualTo(2);
    }

    @Test
    void twoValuesForOneKeyInTheSameBatchAreStoredOnce() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("safe-inbatch");
        BatchInserter inserter = inserter(db, WriteMode.INSERT_FIRST, ConflictPolicy.KEEP_FIRST);

        WriteResult stored = inserter.insert(List.of(value("a", 1.0, RECEIVED), value("a", 1.0, RECEIVED),
                value("a", 5.0, RECEIVED)), false);

        assertThat(stored.written()).isEqualTo(1);
        assertThat(stored.alreadyStored()).isEqualTo(2);
        assertThat(stored.conflicting()).isEqualTo(1);
        assertThat(db.rows("TAG_VALUES")).isEqualTo(1);
    }

    @Test
    void mergeModeCountsAConflictInsteadOfDroppingItSilently() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("safe-mergeconflict");
        BatchInserter inserter = inserter(db, WriteMode.MERGE, ConflictPolicy.KEEP_FIRST);
        inserter.insert(List.of(value("a", 1.0, RECEIVED), value("b", 1.0, RECEIVED)), false);

        WriteResult stored = inserter.insert(List.of(value("a", 1.0, RECEIVED), value("b", 9.0, RECEIVED)),
                false);

        assertThat(stored.alreadyStored()).isEqualTo(2);
        assertThat(stored.conflicting()).isEqualTo(1);
    }

    @Test
    void everyKindOfValueComparesEqualToItselfOnceStored() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("safe-kinds");
        BatchInserter inserter = inserter(db, WriteMode.INSERT_FIRST, ConflictPolicy.KEEP_FIRST);
        List<ReceivedValue> kinds = List.of(value("long", Long.MAX_VALUE, RECEIVED), value("double", 0.1, RECEIVED),
                value("decimal", new java.math.BigDecimal("12345678901234567890.123"), RECEIVED),
                value("text", "RUNNING", RECEIVED), value("bool", true, RECEIVED), value("none", null, RECEIVED));
        inserter.insert(kinds, false);

        WriteResult again = inserter.insert(kinds, true);

        assertThat(again.conflicting()).isZero();
        assertThat(again.alreadyStored()).isEqualTo(kinds.size());
    }
}
