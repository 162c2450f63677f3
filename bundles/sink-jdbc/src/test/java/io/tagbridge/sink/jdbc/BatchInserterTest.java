package io.tagbridge.sink.jdbc;

import static io.tagbridge.sink.jdbc.Fixtures.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.tagbridge.testkit.SwitchableDatabase;

class BatchInserterTest {

    private static BatchInserter inserter(SwitchableDatabase db) {
        return Fixtures.inserter(db, WriteMode.INSERT_FIRST, ConflictPolicy.KEEP_FIRST);
    }

    @Test
    void batchesInARowShareOneConnectionUntilTheWriterIsIdle() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("inserter-reuse");
        BatchInserter inserter = inserter(db);

        inserter.insert(values(0, 10), false);
        inserter.insert(values(10, 20), false);
        inserter.insert(values(20, 30), false);

        assertThat(db.borrowed).hasSize(1);
        assertThat(db.borrowed.get(0).isClosed()).isFalse();
        inserter.release();
        assertThat(db.borrowed.get(0).isClosed()).isTrue();
        assertThat(db.rows("TAG_VALUES")).isEqualTo(30);
    }

    @Test
    void aHeldConnectionThatDiedIsReplacedAtOnceAndTheBatchIsWrittenOnce() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("inserter-died");
        BatchInserter inserter = inserter(db);
        inserter.insert(values(0, 10), false);
        db.borrowed.get(0).close();

        inserter.insert(values(10, 20), false);

        assertThat(db.borrowed).hasSize(2);
        assertThat(db.rows("TAG_VALUES")).isEqualTo(20);
    }

    @Test
    void warmingUpCreatesTheTableAndTheFirstBatchUsesThatConnection() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("inserter-warm");
        BatchInserter inserter = inserter(db);

        inserter.warmUp();

        assertThat(db.rows("TAG_VALUES")).isZero();
        inserter.insert(values(0, 10), false);
        assertThat(db.borrowed).hasSize(1);
    }

    @Test
    void warmingUpWhileTheDatabaseIsDownLeavesTheFailureToTheFirstBatch() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("inserter-warm-down");
        BatchInserter inserter = inserter(db);
        db.down.set(true);

        inserter.warmUp();

        assertThatThrownBy(() -> inserter.insert(values(0, 10), false)).hasMessageContaining("Network Adapter");
    }

    @Test
    void aFreshConnectionThatFailsIsNotTriedAgainHere() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("inserter-down");
        BatchInserter inserter = inserter(db);
        db.down.set(true);

        assertThatThrownBy(() -> inserter.insert(values(0, 10), false)).hasMessageContaining("Network Adapter");
        db.down.set(false);
        inserter.insert(values(0, 10), false);

        assertThat(db.borrowed).hasSize(1);
        assertThat(db.rows("TAG_VALUES")).isEqualTo(10);
    }
}
