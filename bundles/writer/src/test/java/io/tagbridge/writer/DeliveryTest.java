package io.tagbridge.writer;

import static io.tagbridge.writer.Fixtures.settings;
import static io.tagbridge.writer.Fixtures.values;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.failsafe.Execution;
import dev.failsafe.RetryPolicy;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.sink.OutageMode;
import io.tagbridge.sink.jdbc.JdbcSink;
import io.tagbridge.sink.jdbc.WriteMode;
import io.tagbridge.testkit.SwitchableDatabase;
import io.tagbridge.api.pipeline.TargetState;
import io.tagbridge.writer.Fixtures.Events;
import io.tagbridge.writer.Fixtures.ListBackup;

class DeliveryTest {

    private final Events events = new Events();
    private final ListBackup backup = new ListBackup();
    private final StopSignal stop = new StopSignal();
    private final Tally tally = new Tally();
    private final java.util.concurrent.atomic.AtomicBoolean bufferFilling = new java.util.concurrent.atomic.AtomicBoolean();

    private Delivery delivery(SwitchableDatabase db, TargetSettings settings) {
        return new Delivery(settings, Fixtures.sink(db), backup, () -> events, stop, false,
                bufferFilling::get);
    }

    @Test
    void theDefaultScheduleWaitsOneTwoAndFourSecondsThenGivesUp() {
        TargetSettings defaults = TargetSettings.read(Map.of("name", "test")).settings();
        RetryPolicy<Object> policy = RetrySchedule.of(defaults, Fixtures.sink(new SwitchableDatabase("policy")));
        Execution<Object> execution = Execution.of(policy);
        List<Duration> delays = new java.util.ArrayList<>();
        while (true) {
            execution.recordException(new java.sql.SQLException("down"));
            if (execution.isComplete()) {
                break;
            }
            delays.add(execution.getDelay());
        }
        assertThat(delays).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void aBatchIsCommittedInOneGo() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("commit");
        List<ReceivedValue> batch = values(0, 250);

        assertThat(delivery(db, settings(500, Duration.ofMillis(500), 3, Duration.ZERO)).deliver(batch, false, tally))
                .isEqualTo(Delivery.Outcome.SETTLED);

        assertThat(db.rows("TAG_VALUES")).isEqualTo(250);
        assertThat(events.written).containsExactly(250);
    }

    @Test
    void aTargetRetriesFromItsFirstFailedAttemptAndIsUnavailableOnceRetriesAreExhausted() {
        SwitchableDatabase db = new SwitchableDatabase("states");
        db.down.set(true);

        delivery(db, settings(500, Duration.ofMillis(500), 2, Duration.ofMillis(1))).deliver(values(0, 10), false, tally);

        assertThat(events.states).containsExactly(TargetState.RETRYING, TargetState.UNAVAILABLE);
        assertThat(events.diagnoses).allSatisfy(why -> {
            assertThat(why.error()).contains("17002");
            assertThat(why.advice()).doesNotContain("17002");
        });
    }

    @Test
    void aBatchWrittenTwiceIsCountedAsAlreadyStoredTheSecondTime() {
        SwitchableDatabase db = new SwitchableDatabase("twice");
        Delivery delivery = delivery(db, settings(500, Duration.ofMillis(500), 3, Duration.ZERO));

        delivery.deliver(values(0, 20), false, tally);
        delivery.deliver(values(10, 30), false, tally);

        assertThat(events.written).containsExactly(20, 20);
        assertThat(events.alreadyStored).containsExactly(0, 10);
        assertThat(tally.written).isEqualTo(30);
        assertThat(tally.alreadyStored).isEqualTo(10);
    }

    @Test
    void aBatchTheDatabaseRefusesIsTriedRetryMaxPlusOneTimesThenBackedUpWhole() {
        SwitchableDatabase db = new SwitchableDatabase("refuse");
        db.down.set(true);
        List<ReceivedValue> batch = values(0, 10);

        Delivery.Outcome outcome = delivery(db, settings(500, Duration.ofMillis(500), 3, Duration.ofMillis(1))).deliver(batch, false, tally);

        assertThat(outcome).isEqualTo(Delivery.Outcome.SETTLED);
        assertThat(tally.backedUp).isEqualTo(10);
        assertThat(events.failed).hasSize(4).allMatch(r -> r.contains("17002"));
        assertThat(backup.all()).containsExactlyElementsOf(batch);
        assertThat(events.states).contains(TargetState.UNAVAILABLE);
    }

    @Test
    void keepingBatchesInTheJournalABatchTheDatabaseRefusesAfterAllRetriesIsKeptNotBackedUp() {
        SwitchableDatabase db = new SwitchableDatabase("keep-refuse");
        db.down.set(true);
        TargetSettings settings = settings(500, Duration.ofMillis(500), 2, Duration.ofMillis(1));
        Delivery delivery = new Delivery(settings, Fixtures.sink(db), backup, () -> events, stop, true,
                () -> true);

        assertThat(delivery.deliver(values(0, 10), false, tally)).isEqualTo(Delivery.Outcome.KEPT);
        assertThat(delivery.deliver(values(0, 10), false, tally)).as("the circuit is open: no attempt until the probe")
                .isEqualTo(Delivery.Outcome.KEPT);

        assertThat(events.failed).hasSize(3);
        assertThat(backup.all()).isEmpty();
        assertThat(events.states).containsExactly(TargetState.RETRYING, TargetState.UNAVAILABLE);
        assertThat(delivery.untilNextAttempt()).isPositive();
    }

    @Test
    void keepingBatchesInTheJournalBadRowsStillGoToBackupAndTheGoodOnesAreWritten() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("keep-bad");
        TargetSettings settings = settings(500, Duration.ofMillis(500), 3, Duration.ZERO);
        Delivery delivery = new Delivery(settings, Fixtures.sink(db), backup, () -> events, stop, true,
                () -> false);
        delivery.deliver(values(0, 1), false, tally);
        try (java.sql.Connection c = db.getConnection()) {
            c.createStatement().execute("ALTER TABLE TAG_VALUES ADD CONSTRAINT NOT_7 CHECK (NUM_VALUE <> 7)");
        }
        tally.clear();

        assertThat(delivery.deliver(values(1, 11), false, tally)).isEqualTo(Delivery.Outcome.SETTLED);

        assertThat(tally.written).isEqualTo(9);
        assertThat(tally.backedUp).isEqualTo(1);
        assertThat(backup.all()).extracting(r -> r.value().value()).containsExactly(7L);
    }

    @Test
    void whenTheBufferIsFillingAFailedBatchGoesToBackupWithoutWaitingOutItsRetries() {
        SwitchableDatabase db = new SwitchableDatabase("delivery-filling");
        db.down.set(true);
        bufferFilling.set(true);
        List<ReceivedValue> batch = values(0, 10);

        Delivery.Outcome outcome = delivery(db, settings(500, Duration.ofMillis(500), 3, Duration.ofSeconds(10)))
                .deliver(batch, false, tally);

        assertThat(outcome).isEqualTo(Delivery.Outcome.SETTLED);
        assertThat(events.failed).hasSize(1);
        assertThat(backup.all()).containsExactlyElementsOf(batch);
    }

    @Test
    void whileTheDatabaseIsDownLaterBatchesGoStraightToBackup() {
        SwitchableDatabase db = new SwitchableDatabase("outage");
        db.down.set(true);
        Delivery delivery = delivery(db, settings(500, Duration.ofMillis(500), 3, Duration.ofMillis(1)));
        delivery.deliver(values(0, 10), false, tally);
        int attemptsAfterFirstBatch = events.failed.size();

        delivery.deliver(values(10, 20), false, tally);

        assertThat(events.failed).hasSize(attemptsAfterFirstBatch);
        assertThat(backup.all()).containsExactlyElementsOf(values(0, 20));
    }

    @Test
    void aRetryThatSucceedsWritesTheBatchOnceAndBacksUpNothing() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("recover");
        db.down.set(true);
        Delivery delivery = delivery(db, settings(500, Duration.ofMillis(500), 3, Duration.ofMillis(200)));
        Thread heal = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            db.down.set(false);
        });
        heal.start();

        assertThat(delivery.deliver(values(0, 10), false, tally)).isEqualTo(Delivery.Outcome.SETTLED);

        heal.join();
        assertThat(db.rows("TAG_VALUES")).isEqualTo(10);
        assertThat(backup.batches).isEmpty();
    }

    @Test
    void whenBackupAlsoFailsTheBatchIsHeldAndHandedBackOnStop() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("hold");
        db.down.set(true);
        backup.full.set(true);
        Delivery delivery = delivery(db, settings(500, Duration.ofMillis(500), 0, Duration.ZERO));
        Thread stopper = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            stop.stop();
        });
        stopper.start();

        assertThat(delivery.deliver(values(0, 10), false, tally)).isEqualTo(Delivery.Outcome.HELD);

        stopper.join();
        assertThat(events.states).contains(TargetState.UNAVAILABLE);
        assertThat(events.diagnoses).extracting(why -> why.reason()).contains("BACKUP_FAILING");
        assertThat(tally.backedUp + tally.written).as("nothing was settled: the values stay in the buffer").isZero();
    }

    @Test
    void aStopEndsTheRetryWaitAtOnceAndTheBatchGoesToBackup() {
        SwitchableDatabase db = new SwitchableDatabase("stopwait");
        db.down.set(true);
        Delivery delivery = delivery(db, settings(500, Duration.ofMillis(500), 3, Duration.ofSeconds(60)));
        new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            stop.stop();
        }).start();

        assertThat(delivery.deliver(values(0, 5), false, tally)).isEqualTo(Delivery.Outcome.SETTLED);
        assertThat(backup.all()).hasSize(5);
    }

    @Test
    void badRowsAreSplitOutWithTheirErrorAndTheGoodRowsAreCommitted() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("poison");
        Delivery delivery = delivery(db, settings(500, Duration.ofMillis(500), 3, Duration.ofSeconds(60)));
        delivery.deliver(values(0, 1), false, tally);
        try (java.sql.Connection c = db.getConnection()) {
            c.createStatement().execute("ALTER TABLE TAG_VALUES ADD CONSTRAINT NOT_13_OR_77 CHECK (NUM_VALUE NOT IN (13, 77))");
        }
        List<ReceivedValue> batch = values(1, 101);

        Delivery.Outcome outcome = delivery.deliver(batch, false, tally);

        assertThat(outcome).isEqualTo(Delivery.Outcome.SETTLED);
        assertThat(db.rows("TAG_VALUES")).isEqualTo(1 + 98);
        assertThat(backup.all()).extracting(r -> r.value().value()).containsExactlyInAnyOrder(13L, 77L);
        assertThat(backup.reasons).allMatch(r -> r.contains("NOT_13_OR_77"));
        assertThat(events.failed).as("no retry waits: bad data is not transient").hasSizeLessThan(30);
    }

    @Test
    void refusedSettingsAreNotRetriedAndLaterBatchesGoToBackupWithoutTouchingTheDatabase() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("refused");
        TargetSettings settings = new TargetSettings("test", 500, Duration.ofMillis(500), 3, Duration.ofSeconds(60),
                Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofHours(1), Duration.ofSeconds(5), List.of(),
                OutageMode.BACKUP, 5000, 500, 1, TargetSettings.LiveFirst.OFF);
        Delivery delivery = new Delivery(settings, JdbcSink.of(db, "MISSING", false, WriteMode.MERGE), backup,
                () -> events, stop, false, bufferFilling::get);

        assertThat(delivery.deliver(values(0, 5), false, tally)).isEqualTo(Delivery.Outcome.SETTLED);
        assertThat(delivery.deliver(values(5, 10), false, tally)).isEqualTo(Delivery.Outcome.SETTLED);

        assertThat(events.failed).hasSize(1);
        assertThat(events.states).contains(TargetState.REFUSED);
        assertThat(backup.all()).containsExactlyElementsOf(values(0, 10));
        assertThat(backup.reasons.get(0)).contains("MISSING does not exist");
    }

    @Test
    void aRetriedBatchWhoseFirstCommitSucceededLeavesOneCopy() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("replay");
        Delivery delivery = delivery(db, settings(500, Duration.ofMillis(500), 3, Duration.ZERO));

        delivery.deliver(values(0, 20), false, tally);
        delivery.deliver(values(0, 20), false, tally);

        assertThat(db.rows("TAG_VALUES")).isEqualTo(20);
        assertThat(backup.batches).isEmpty();
    }
}
