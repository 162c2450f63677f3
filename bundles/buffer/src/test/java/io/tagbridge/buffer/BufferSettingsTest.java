package io.tagbridge.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.tagbridge.testkit.ConfigDefaults;

class BufferSettingsTest {

    /** The real defaults (see ConfigDefaults), changed where a test says. */
    static class Config implements BufferConfig {
        boolean journal = d("journal");
        String directory = d("journalDirectory");
        long maxMegabytes = d("journalMaxMegabytes");
        int segmentMegabytes = d("journalSegmentMegabytes");
        int capacity = d("capacity");
        OverflowPolicy policy = d("overflowPolicy");
        long blockMillis = d("blockTimeoutMillis");
        int syncMillis = d("syncIntervalMillis");
        double releaseHours = d("releaseDeletedTargetsAfterHours");
        int syncTimeoutMillis = d("syncTimeoutMillis");
        UnavailablePolicy whenUnavailable = d("whenJournalUnavailable");
        ClockPolicy clockPolicy = d("clockPolicy");
        String clockFloor = d("clockFloor");
        long maxFutureSeconds = d("maxFutureSeconds");
        String[] deadband = d("deadband");
        long deadbandHeartbeatSeconds = d("deadbandHeartbeatSeconds");
        public Class<? extends Annotation> annotationType() { return BufferConfig.class; }
        public boolean journal() { return journal; }
        public String journalDirectory() { return directory; }
        public long journalMaxMegabytes() { return maxMegabytes; }
        public long journalMinFreeDiskMegabytes() { return d("journalMinFreeDiskMegabytes"); }
        public int journalSegmentMegabytes() { return segmentMegabytes; }
        public SyncPolicy sync() { return d("sync"); }
        public int syncIntervalMillis() { return syncMillis; }
        public int capacity() { return capacity; }
        public OverflowPolicy overflowPolicy() { return policy; }
        public long blockTimeoutMillis() { return blockMillis; }
        public double releaseDeletedTargetsAfterHours() { return releaseHours; }
        public int syncTimeoutMillis() { return syncTimeoutMillis; }
        public UnavailablePolicy whenJournalUnavailable() { return whenUnavailable; }
        public ClockPolicy clockPolicy() { return clockPolicy; }
        public String clockFloor() { return clockFloor; }
        public long maxFutureSeconds() { return maxFutureSeconds; }
        public String[] deadband() { return deadband; }
        public long deadbandHeartbeatSeconds() { return deadbandHeartbeatSeconds; }

        private static <T> T d(String element) {
            return ConfigDefaults.of(BufferConfig.class, element);
        }
    }

    @Test
    void eachProblemNamesItsProperty() {
        Config c = new Config();
        c.capacity = 0;
        c.policy = null;
        c.blockMillis = -1;
        c.maxMegabytes = 100;
        c.syncMillis = 5;
        c.syncTimeoutMillis = 50;
        c.whenUnavailable = null;
        assertThat(BufferSettings.problems(c)).containsExactly(
                "capacity is 0 but must be at least 1",
                "overflowPolicy must be one of BLOCK, REJECT_NEWEST, DROP_OLDEST",
                "blockTimeoutMillis is -1 but must be 0 or more",
                "journalMaxMegabytes is 100 but must be at least twice journalSegmentMegabytes ("
                        + c.segmentMegabytes + ")",
                "syncIntervalMillis is 5 but must be 10 to 10000",
                "syncTimeoutMillis is 50 but must be 100 to 600000",
                "whenJournalUnavailable must be one of REFUSE, MEMORY");
    }

    @Test
    void theClockGuardRefusesByDefaultFromTheBuildDateAndTakesAFloorOfTheOperatorsOwn() {
        ClockSettings defaults = BufferSettings.from(new Config()).clock();
        assertThat(defaults.policy()).isEqualTo(ClockPolicy.REFUSE);
        assertThat(defaults.floor()).as("no api bundle outside a framework").isEqualTo(
                BufferSettings.BUILT_NO_EARLIER);
        assertThat(defaults.maxFuture()).isEqualTo(Duration.ofHours(1));

        Config own = new Config();
        own.clockFloor = " 2026-06-01 ";
        assertThat(BufferSettings.from(own).clock().floor()).isEqualTo(Instant.parse("2026-06-01T00:00:00Z"));

        Config bad = new Config();
        bad.clockPolicy = null;
        bad.clockFloor = "June 2026";
        bad.maxFutureSeconds = -1;
        assertThat(BufferSettings.problems(bad)).containsExactly(
                "clockPolicy must be one of REFUSE, USE_RECEIVED_TIME, ACCEPT",
                "maxFutureSeconds is -1 but must be 0 or more",
                "clockFloor is 'June 2026' but must be a date such as 2026-01-01, or empty for the software's build "
                        + "date");
    }

    @Test
    void deadbandRulesAreReadAsAmountsOrPercentsAndABadOneIsNamed() {
        Config c = new Config();
        assertThat(BufferSettings.from(c).deadband().rules()).as("off by default").isEmpty();
        c.deadband = new String[] { " line1.*.temp = 0.5 ", "*.pressure=2%", "" };
        c.deadbandHeartbeatSeconds = 30;
        DeadbandSettings read = BufferSettings.from(c).deadband();
        assertThat(read.rules()).containsExactly(new DeadbandRule("line1.*.temp", 0.5, false),
                new DeadbandRule("*.pressure", 2, true));
        assertThat(read.heartbeat()).isEqualTo(Duration.ofSeconds(30));

        c.deadband = new String[] { "line1.temp", "a=b", "x=0", "y=-1%" };
        c.deadbandHeartbeatSeconds = -1;
        assertThat(BufferSettings.problems(c)).containsExactly(
                "deadband 'line1.temp' is not <tag pattern>=<amount> or <tag pattern>=<percent>%, such as "
                        + "line1.*.temp=0.5 or *.pressure=2%",
                "deadband 'a=b': 'b' is not a number (or a percent such as 2%)",
                "deadband 'x=0': the deadband must be more than 0",
                "deadband 'y=-1%': the deadband must be more than 0",
                "deadbandHeartbeatSeconds is -1 but must be 0 or more");
    }

    @Test
    void theDefaultsAreValidAndPutTheJournalInTheDataDirectory() {
        Config c = new Config();
        assertThat(BufferSettings.problems(c)).isEmpty();
        BufferSettings s = BufferSettings.from(c);
        assertThat(s.journalPath(Path.of("/srv/data"))).isEqualTo(Path.of("/srv/data/journal"));
        assertThat(s.maxBytes()).isEqualTo(c.maxMegabytes * 1024 * 1024);
        assertThat(s.whenJournalUnavailable()).isEqualTo(c.whenUnavailable);
        assertThat(s.syncTimeout()).isEqualTo(Duration.ofMillis(c.syncTimeoutMillis));
    }

    @Test
    void switchingTheJournalOffOrMovingItChangesStorageAndTheRestDoesNot() {
        Path data = Path.of("/srv/data");
        BufferSettings base = BufferSettings.from(new Config());
        Config off = new Config();
        off.journal = false;
        Config moved = new Config();
        moved.directory = "/mnt/ssd/journal";
        Config bigger = new Config();
        bigger.maxMegabytes = 4096;
        bigger.policy = OverflowPolicy.DROP_OLDEST;

        assertThat(BufferSettings.from(off).changesStorage(base, data)).isTrue();
        assertThat(BufferSettings.from(moved).changesStorage(base, data)).isTrue();
        assertThat(BufferSettings.from(bigger).changesStorage(base, data)).isFalse();
    }
}
