package io.tagbridge.writer;

import static io.tagbridge.writer.Fixtures.settings;
import static io.tagbridge.writer.Fixtures.values;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.tagbridge.writer.Fixtures.Events;
import io.tagbridge.api.sink.TagSink;
import io.tagbridge.api.sink.OutageMode;
import io.tagbridge.testkit.SwitchableDatabase;
import io.tagbridge.writer.Fixtures.ListBackup;
import io.tagbridge.writer.Fixtures.ListCursor;

import io.tagbridge.testkit.Await;
import io.tagbridge.testkit.RowOrder;

class WriteLoopTest {

    private final Events events = new Events();
    private final ListBackup backup = new ListBackup();
    private final StopSignal stop = new StopSignal();

    private Thread start(SwitchableDatabase db, TargetSettings settings, ListCursor cursor, boolean keep) {
        TagSink inserter = Fixtures.sink(db);
        Delivery delivery = new Delivery(settings, inserter, backup, () -> events, stop, keep, () -> false);
        Replayer replayer = new Replayer(settings, backup, delivery, inserter, () -> events);
        Thread thread = new Thread(new WriteLoop(settings, cursor, delivery, inserter, stop, replayer,
                new OutageSummary(settings.name(), () -> 0, keep)));
        thread.start();
        return thread;
    }

    private void stopAndJoin(Thread thread, ListCursor cursor) throws InterruptedException {
        stop.stop();
        cursor.wake();
        thread.join(10_000);
        assertThat(thread.isAlive()).isFalse();
    }

    @Test
    void fullBatchesAreWrittenWithoutWaitingForTheInterval() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("size");
        ListCursor cursor = new ListCursor(true);
        cursor.offer(values(0, 1000));
        Thread writer = start(db, settings(100, Duration.ofHours(1), 3, Duration.ZERO), cursor, true);
        try {
            waitFor(() -> events.written.size() == 10);
            assertThat(events.written).containsOnly(100);
        } finally {
            stopAndJoin(writer, cursor);
        }
    }

    @Test
    void whileValuesWaitBehindBatchesGrowToTheCatchUpSizeAndComeBackOnceTheyDoNot() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("catch-up");
        ListCursor cursor = new ListCursor(true);
        cursor.offer(values(0, 2_300));
        TargetSettings small = settings(100, Duration.ofMillis(20), 3, Duration.ZERO);
        TargetSettings growing = new TargetSettings(small.name(), 100, small.writeInterval(), small.retryMax(),
                small.retryDelay(), small.retryMaxDelay(), small.outageProbe(), small.refusedSettingsRetry(),
                small.stopFlush(), small.tagFilter(), small.outageMode(), small.replayValuesPerSecond(), 1_000, 1, TargetSettings.LiveFirst.OFF);
        Thread writer = start(db, growing, cursor, true);
        try {
            waitFor(() -> cursor.settled == 2_300);
            cursor.offer(values(2_300, 2_350));
            waitFor(() -> cursor.settled == 2_350);
            assertThat(events.written).containsExactly(100, 1_000, 1_000, 200, 50);
        } finally {
            stopAndJoin(writer, cursor);
        }
    }

    @Test
    void aPartialBatchIsWrittenWhenTheIntervalPasses() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("time");
        ListCursor cursor = new ListCursor(true);
        Thread writer = start(db, settings(500, Duration.ofMillis(50), 3, Duration.ZERO), cursor, true);
        try {
            cursor.offer(values(0, 7));
            waitFor(() -> !events.written.isEmpty());
            assertThat(events.written).containsExactly(7);
        } finally {
            stopAndJoin(writer, cursor);
        }
    }

    @Test
    void valuesCommittedToH2AreSettledAtOnceAndMarkedDurableOnlyAfterACheckpoint() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("durable");
        ListCursor cursor = new ListCursor(true);
        cursor.offer(values(0, 300));
        Thread writer = start(db, settings(100, Duration.ofMillis(20), 3, Duration.ZERO), cursor, true);
        try {
            waitFor(() -> cursor.settled == 300);
            assertThat(cursor.settlements).containsOnly("100/0/0");
            waitFor(() -> cursor.durableUpTo == 300);
        } finally {
            stopAndJoin(writer, cursor);
        }
    }

    @Test
    void valuesCommittedToH2AreNotMarkedDurableWhileItsCheckpointFailsAndAreOnceOneSucceeds() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("nocheckpoint");
        db.refuseCheckpoints.set(true);
        ListCursor cursor = new ListCursor(true);
        cursor.offer(values(0, 300));
        Thread writer = start(db, settings(100, Duration.ofMillis(20), 3, Duration.ZERO), cursor, true);
        try {
            waitFor(() -> cursor.settled == 300 && db.checkpointsRefused.get() >= 1);
            assertThat(cursor.durableUpTo).as("durable before any checkpoint succeeded").isZero();

            db.refuseCheckpoints.set(false);
            waitFor(() -> cursor.durableUpTo == 300);
        } finally {
            stopAndJoin(writer, cursor);
        }
    }

    @Test
    void withTheJournalOffStoppingFlushesWhatIsBufferedIntoTheDatabase() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("flush");
        ListCursor cursor = new ListCursor(false);
        Thread writer = start(db, settings(100, Duration.ofHours(1), 3, Duration.ZERO), cursor, false);
        cursor.offer(values(0, 250));
        stopAndJoin(writer, cursor);

        assertThat(db.rows("TAG_VALUES")).isEqualTo(250);
        assertThat(cursor.unsettled()).isEmpty();
    }

    @Test
    void withTheJournalOnAnOutageKeepsTheBatchUnsettledAndTheWriterCatchesUpInOrderWhenTheDatabaseAnswers()
            throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("keep");
        db.down.set(true);
        ListCursor cursor = new ListCursor(true);
        TargetSettings settings = settings(100, Duration.ofMillis(10), 1, Duration.ofMillis(1));
        TargetSettings quickProbe = new TargetSettings(settings.name(), 100, Duration.ofMillis(10), 1,
                Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(50), Duration.ofSeconds(60),
                Duration.ofSeconds(5), java.util.List.of(), OutageMode.KEEP, 5000, 100, 1, TargetSettings.LiveFirst.OFF);
        Thread writer = start(db, quickProbe, cursor, true);
        try {
            cursor.offer(values(0, 250));
            waitFor(() -> events.failed.size() >= 4);
            assertThat(cursor.settled).isZero();
            assertThat(backup.all()).isEmpty();

            db.down.set(false);
            waitFor(() -> cursor.settled == 250);
            assertThat(db.rows("TAG_VALUES")).isEqualTo(250);
            assertThat(sourceTimesInInsertionOrder(db)).as("rows in the order they were offered")
                    .containsExactlyElementsOf(values(0, 250).stream()
                            .map(v -> java.time.LocalDateTime.ofInstant(v.value().sourceTime(), java.time.ZoneOffset.UTC))
                            .toList());
            assertThat(backup.all()).isEmpty();
        } finally {
            stopAndJoin(writer, cursor);
        }
    }

    @Test
    void stoppingDuringAnOutageLeavesTheValuesUnsettledInTheBuffer() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("stopdown");
        db.down.set(true);
        backup.full.set(true);
        ListCursor cursor = new ListCursor(false);
        Thread writer = start(db, settings(100, Duration.ofMillis(10), 3, Duration.ofSeconds(60)), cursor, false);
        cursor.offer(values(0, 250));
        waitFor(() -> !events.failed.isEmpty());
        stopAndJoin(writer, cursor);

        assertThat(cursor.unsettled()).containsExactlyElementsOf(values(0, 250));
    }

    /** H2 numbers the rows of a table without a single-column key in the order they were inserted. */
    private static java.util.List<java.time.LocalDateTime> sourceTimesInInsertionOrder(SwitchableDatabase db)
            throws java.sql.SQLException {
        java.util.List<java.time.LocalDateTime> times = new java.util.ArrayList<>();
        try (java.sql.Connection c = db.h2.getConnection(); var rs = c.createStatement()
                .executeQuery("SELECT SOURCE_TIME FROM TAG_VALUES ORDER BY _ROWID_")) {
            while (rs.next()) {
                times.add(rs.getObject(1, java.time.LocalDateTime.class));
            }
        }
        return times;
    }

    @Test
    void throughSeveralConnectionsEveryValueIsStoredOnceAndEachTagsRowsCommitInAcceptanceOrder() throws Exception {
        SwitchableDatabase db = new SwitchableDatabase("connections");
        try (java.sql.Connection c = db.h2.getConnection()) {
            RowOrder.createNumberedTable(c, "TAG_VALUES");
        }
        ListCursor cursor = new ListCursor(true);
        cursor.offer(BatchPartsTest.cycling(40_000, 50));
        TargetSettings small = settings(500, Duration.ofMillis(20), 3, Duration.ZERO);
        TargetSettings threeConnections = new TargetSettings(small.name(), 500, small.writeInterval(),
                small.retryMax(), small.retryDelay(), small.retryMaxDelay(), small.outageProbe(),
                small.refusedSettingsRetry(), small.stopFlush(), small.tagFilter(), small.outageMode(),
                small.replayValuesPerSecond(), 2_000, 3, TargetSettings.LiveFirst.OFF);
        Thread writer = start(db, threeConnections, cursor, true);
        try {
            waitFor(() -> cursor.settled == 40_000);
        } finally {
            stopAndJoin(writer, cursor);
        }
        assertThat(db.borrowed).as("connections borrowed").hasSizeGreaterThanOrEqualTo(3);
        assertThat(db.rows("TAG_VALUES")).isEqualTo(40_000);
        try (java.sql.Connection c = db.h2.getConnection()) {
            assertThat(RowOrder.rowsBeforeAnOlderValueOfTheirTag(c, "TAG_VALUES"))
                    .as("rows committed before an older value of their tag").isZero();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) {
        Await.until("the write loop to get there", Duration.ofSeconds(10), condition::getAsBoolean);
    }
}
