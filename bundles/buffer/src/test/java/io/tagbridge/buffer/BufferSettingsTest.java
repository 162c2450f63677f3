package io.tagbridge.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.time.Duration;

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
