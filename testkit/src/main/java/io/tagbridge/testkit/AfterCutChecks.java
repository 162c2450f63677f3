package io.tagbridge.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.BitSet;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.assertj.core.api.SoftAssertions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What every start of a {@link PowerCutRig}'s gateway after a cut must show, checked softly so that one step reports
 * every check it failed. It keeps, across the cuts of a chain, which acknowledged values were found in the table and
 * which were reported lost already, so that each loss is reported once.
 */
public final class AfterCutChecks implements AutoCloseable {

    /** How long acknowledged values may take to reach the table after a start. */
    private static final Duration CATCH_UP = Duration.ofSeconds(60);
    /** Values that stay missing this long while the gateway writes are lost: the wait ends. */
    private static final Duration STILL_MISSING = Duration.ofSeconds(5);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PowerCutRig rig;
    private final BitSet inTable = new BitSet();
    private final BitSet reportedLost = new BitSet();
    private int checkedDurableUpTo;
    /** Values from this number on may be answered 200 without being on disk: the journal was being switched off. */
    private int journalOffFrom = Integer.MAX_VALUE;
    private Connection remote;

    AfterCutChecks(PowerCutRig rig) {
        this.rig = rig;
    }

    /**
     * Health after the start is not {@code DOWN}, and when {@code unclean} says so: reason {@code UNCLEAN_STOP},
     * details {@code lastSync} and {@code newestFound}.
     */
    void health(SoftAssertions soft, boolean unclean) throws Exception {
        JsonNode health = JSON.readTree(rig.gateway.get("/api/buffer/health").body());
        JsonNode buffer = health.path("components").path("buffer");
        soft.assertThat(health.path("status").asText()).as("health after the start is not DOWN: %s", health)
                .isNotEqualTo("DOWN");
        if (unclean) {
            // JOURNAL_DAMAGED outranks UNCLEAN_STOP. A cut can still leave damage that a reader finds after the
            // start and counts as the disk's (a hole ending on a 1 MiB boundary, seen twice in CI): known, open.
            // The unclean stop itself must be told, in the count and the details, whichever reason shows.
            soft.assertThat(buffer.path("reason").asText()).as("health's buffer reason after a power cut: %s",
                    buffer).isIn("UNCLEAN_STOP", "JOURNAL_DAMAGED");
            soft.assertThat(buffer.path("details").path("uncleanStops").asLong())
                    .as("the unclean stop is counted: %s", buffer.path("details")).isPositive();
            soft.assertThat(buffer.path("details").has("lastSync") && buffer.path("details").has("newestFound"))
                    .as("health's buffer details name the last sync and the newest value found: %s",
                            buffer.path("details")).isTrue();
        }
        rig.note("health after the start: %s %s; buffer %s (uncleanStops %s)", health.path("status").asText(),
                health.path("reason").asText(), buffer.path("reason").asText(),
                buffer.path("details").path("uncleanStops").asText("?"));
    }

    /** Every value answered 200 is in the table or a backup file (remote database), waiting for the catch-up. */
    public void acknowledgedSurvive(SoftAssertions soft) throws Exception {
        if (rig.db == null || rig.producer() == null) {
            return;
        }
        BitSet must = mustSurvive();
        must.andNot(reportedLost); // reported by an earlier step already; not waited for again
        long t0 = System.nanoTime();
        AtomicReference<BitSet> missing = new AtomicReference<>(missing(must));
        AtomicLong stableSince = new AtomicLong(System.nanoTime());
        // Until nothing is missing, or the same values have stayed missing for a while: the catch-up is over.
        Await.holdsWithin(CATCH_UP, Duration.ofMillis(300), () -> {
            BitSet now = missing(must);
            if (!now.equals(missing.getAndSet(now))) {
                stableSince.set(System.nanoTime());
            }
            return now.isEmpty() || System.nanoTime() - stableSince.get() >= STILL_MISSING.toNanos();
        });
        BitSet fresh = (BitSet) missing.get().clone();
        reportedLost.or(fresh);
        rig.note("acknowledged before these checks %,d, in the table or a backup file after %.1f s; newly missing %,d "
                + "(%,d in all)", mustSurvive().cardinality(), (System.nanoTime() - t0) / 1e9, fresh.cardinality(),
                reportedLost.cardinality());
        soft.assertThat(fresh.cardinality()).as("values answered 200 that are neither in the table nor in a backup "
                + "file after the start: %s", lossDetails(fresh)).isZero();
    }

    /** The lost values, with when each was answered: relative to the last cut, and whether the answer was durable. */
    private String lossDetails(BitSet lost) {
        if (lost.isEmpty()) {
            return "none";
        }
        StringBuilder b = new StringBuilder(examples(lost));
        BitSet durable = rig.producer().durable();
        int shown = 0;
        for (int i = lost.nextSetBit(0); i >= 0 && shown < 6; i = lost.nextSetBit(i + 50 - i % 50), shown++) {
            long at = rig.producer().answeredAt(i);
            b.append(String.format(Locale.ROOT, "%n    values %d-%d: answered 200%s %.3f s before the last cut",
                    i - i % 50, i - i % 50 + 49, durable.get(i) ? " (durable)" : " (not durable)",
                    (rig.lastCutNanos - at) / 1e9));
        }
        return b.toString();
    }

    /** The values that must survive: every 200, except those after the journal was switched off unless durable. */
    private BitSet mustSurvive() {
        BitSet must = rig.producer().accepted();
        if (journalOffFrom < Integer.MAX_VALUE) {
            must.clear(journalOffFrom, Math.max(journalOffFrom, must.length()));
            must.or(rig.producer().durable());
        }
        return must;
    }

    private BitSet missing(BitSet must) throws Exception {
        BitSet unseen = (BitSet) must.clone();
        unseen.andNot(inTable);
        if (!unseen.isEmpty()) {
            refreshTable(unseen.nextSetBit(0), unseen.length());
        }
        BitSet missing = (BitSet) must.clone();
        missing.andNot(inTable);
        if (!missing.isEmpty()) {
            missing.andNot(inBackupFiles(rig.fs.mount().resolve("backup")));
        }
        return missing;
    }

    /**
     * Reads which of the values from {@code from} to {@code to} are in the remote table (rows are never deleted
     * there), by the primary key: per tag, the range of source times.
     */
    private void refreshTable(int from, int to) throws SQLException {
        if (from >= to) {
            return;
        }
        try {
            if (remote == null || !remote.isValid(2)) {
                remote = rig.db.connect(PowerCutRig.DATABASE);
            }
            try (ResultSet tables = remote.getMetaData().getTables(null, null, "TAG_VALUES", null)) {
                if (!tables.next()) {
                    return;
                }
            }
            readValues(remote, from, to);
        } catch (SQLException e) {
            remote = null;
            throw e;
        }
    }

    private void readValues(Connection c, int from, int to) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT NUM_VALUE FROM TAG_VALUES WHERE TAG_NAME = ? "
                + "AND SOURCE_TIME >= ? AND SOURCE_TIME <= ?")) {
            for (int tag = 0; tag < 20; tag++) {
                s.setString(1, rig.producer() == null ? rig.prefix + tag : rig.producer().tag(tag));
                s.setObject(2, LocalDateTime.ofInstant(Producer.sourceTime(from), ZoneOffset.UTC));
                s.setObject(3, LocalDateTime.ofInstant(Producer.sourceTime(to), ZoneOffset.UTC));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        inTable.set((int) rs.getLong(1));
                    }
                }
            }
        }
    }

    /** The values of this rig's tags in backup files under {@code folder}: pending, open, replayed, quarantined. */
    public BitSet inBackupFiles(Path folder) throws IOException {
        return inBackupFiles(folder, rig.prefix);
    }

    /** The values of tags starting with {@code prefix} in backup files under {@code folder}, of any state. */
    public static BitSet inBackupFiles(Path folder, String prefix) throws IOException {
        BitSet found = new BitSet();
        if (!Files.isDirectory(folder)) {
            return found;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".csv") || f.toString().endsWith(".part"))
                    .toList()) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    String[] cols = line.split(",");
                    if (cols.length >= 4 && cols[0].startsWith(prefix)) {
                        try {
                            found.set(Integer.parseInt(cols[3]));
                        } catch (NumberFormatException torn) {
                            // a torn last line of an open file
                        }
                    }
                }
            }
        }
        return found;
    }

    /** The gateway writes to the database it was configured for: values posted since the start are there. */
    void writesWhereConfigured(SoftAssertions soft) throws Exception {
        Duration timeout = Duration.ofSeconds(30);
        Duration poll = Duration.ofMillis(300);
        if (rig.db != null) {
            boolean there = Await.holdsWithin(timeout, poll, () -> {
                refreshTable(rig.offeredAtStart, rig.producer().offered());
                return inTable.nextSetBit(rig.offeredAtStart) >= 0;
            });
            soft.assertThat(there).as("values posted since start %d are in the remote database it was configured "
                    + "for; the producer's answers: %s", rig.starts, rig.producer().statuses()).isTrue();
            soft.assertThat(rig.fs.mount().resolve("data/tagbridge.mv.db")).as("no embedded database: the gateway "
                    + "never fell back to it").doesNotExist();
        } else {
            boolean more = Await.holdsWithin(timeout, poll,
                    () -> rig.metrics().path("valuesWritten").asLong() > rig.writtenAtStart);
            soft.assertThat(more).as("values written to the embedded database since start %d", rig.starts).isTrue();
        }
        boolean answered = Await.holdsWithin(timeout, poll,
                () -> rig.producer().accepted().nextSetBit(rig.offeredAtStart) >= 0);
        soft.assertThat(answered).as("the login opens the gateway: posts since start %d answered 200; all answers "
                + "so far by status: %s", rig.starts, rig.producer().statuses()).isTrue();
    }

    /** Every 200 since the last check said "durable":true, while the journal was on. */
    void durableAnswers(SoftAssertions soft) {
        int upTo = Math.min(rig.producer().offered(), journalOffFrom);
        BitSet notDurable = rig.producer().accepted().get(0, upTo);
        notDurable.andNot(rig.producer().durable());
        notDurable.clear(0, Math.min(checkedDurableUpTo, upTo));
        checkedDurableUpTo = Math.max(checkedDurableUpTo, upTo);
        StringBuilder when = new StringBuilder();
        long now = System.nanoTime();
        for (int i = notDurable.nextSetBit(0), n = 0; i >= 0 && n < 4;
                i = notDurable.nextSetBit(i + 50 - i % 50), n++) {
            when.append(String.format(Locale.ROOT, "%n    values %d-%d answered %.1f s before this check (start %d of "
                    + "the gateway began %.1f s before it)", i - i % 50, i - i % 50 + 49,
                    (now - rig.producer().answeredAt(i)) / 1e9, rig.starts, (now - rig.startedAtNanos) / 1e9));
        }
        soft.assertThat(notDurable.cardinality()).as("values answered 200 without \"durable\":true while the "
                + "journal was on, e.g. %s%s", examples(notDurable), when).isZero();
    }

    /**
     * Per target: routed (or, with one target, accepted) = written + already stored + backed up + dropped +
     * backlog. The producer pauses meanwhile, so that the figures come from one moment.
     */
    public void counters(SoftAssertions soft) throws Exception {
        if (rig.producer() != null) {
            rig.producer().pause();
        }
        try {
            AtomicReference<String> last = new AtomicReference<>("");
            if (Await.holdsWithin(Duration.ofSeconds(20), Duration.ofMillis(250), () -> {
                last.set(identities(rig.metrics()));
                return !last.get().contains("!=");
            })) {
                rig.note("counters add up: %s", last.get());
                return;
            }
            soft.fail("the counters do not add up (routed = written + alreadyStored + backedUp + dropped + "
                    + "backlog) within 20 s: " + last.get());
        } finally {
            if (rig.producer() != null) {
                rig.producer().resume();
            }
        }
    }

    /** Each target's identity, as text: "default: 1000 = 900 + 0 + 0 + 0 + 100" or with "!=" when it fails. */
    public static String identities(JsonNode m) {
        StringBuilder b = new StringBuilder();
        JsonNode targets = m.path("targets");
        for (var it = targets.fields(); it.hasNext();) {
            var e = it.next();
            JsonNode t = e.getValue();
            // without a "routed" figure: every target takes every value (no tag filter in these tests)
            long routed = t.has("routed") ? t.path("routed").asLong() : m.path("valuesAccepted").asLong();
            long sum = t.path("valuesWritten").asLong() + t.path("valuesAlreadyStored").asLong()
                    + t.path("valuesBackedUp").asLong() + t.path("valuesDropped").asLong() + t.path("backlog").asLong();
            b.append(b.length() == 0 ? "" : "; ").append(e.getKey()).append(": ").append(routed)
                    .append(routed == sum ? " = " : " != ").append(t.path("valuesWritten").asLong())
                    .append(" written + ")
                    .append(t.path("valuesAlreadyStored").asLong()).append(" already stored + ")
                    .append(t.path("valuesBackedUp").asLong()).append(" backed up + ")
                    .append(t.path("valuesDropped").asLong()).append(" dropped ").append(t.path("dropped"))
                    .append(" + ").append(t.path("backlog").asLong()).append(" backlog");
        }
        return targets.size() == 0 ? "no target != anything" : b.toString();
    }

    /** Values from here on may be answered without the journal (it is being switched off). */
    public void journalOffFromNow() {
        journalOffFrom = rig.producer() == null ? 0 : rig.producer().offered();
    }

    /**
     * The embedded database's check, once the gateway has stopped: every value that must survive is in its table
     * or a backup file.
     */
    public void embeddedTable(SoftAssertions soft) throws Exception {
        Path file = rig.fs.mount().resolve("data/tagbridge");
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + file
                + ";MODE=Oracle;DEFAULT_NULL_ORDERING=HIGH;IFEXISTS=TRUE", "sa", "")) {
            inTable.clear();
            readValues(c, 0, rig.producer() == null ? 0 : rig.producer().offered());
        }
        BitSet missing = mustSurvive();
        missing.andNot(inTable);
        missing.andNot(inBackupFiles(rig.fs.mount().resolve("backup")));
        rig.note("embedded table: %,d of %,d acknowledged values found; missing %,d", mustSurvive().cardinality()
                - missing.cardinality(), mustSurvive().cardinality(), missing.cardinality());
        soft.assertThat(missing.cardinality()).as("values answered 200 that are neither in the embedded table nor "
                + "in a backup file: %s", examples(missing)).isZero();
    }

    private static String examples(BitSet values) {
        StringBuilder b = new StringBuilder();
        int n = 0;
        for (int i = values.nextSetBit(0); i >= 0 && n < 8; i = values.nextSetBit(i + 1), n++) {
            b.append(n == 0 ? "" : ", ").append(i);
        }
        return values.isEmpty() ? "none" : b + (values.cardinality() > 8 ? " ..." : "") + " (value i is tag "
                + "<prefix><i % 20> at 2026-01-01T00:00:00Z + i µs)";
    }

    /** Closes the connection to the remote database, if one is open. */
    @Override
    public void close() throws SQLException {
        if (remote != null) {
            remote.close();
        }
    }
}
