package io.tagbridge.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DataDirectoryComponentTest {

    @Test
    void onlyJournalCheckLeavesTheDirectoryUnlockedAndUnpublished() {
        assertThat(DataDirectoryComponent.leavesDirectoryAlone(new String[] { "journal-check", "--json" })).isTrue();
        assertThat(DataDirectoryComponent.leavesDirectoryAlone(new String[] { "test-connection" })).isFalse();
        assertThat(DataDirectoryComponent.leavesDirectoryAlone(new String[] { "load", "journal-check" })).isFalse();
        assertThat(DataDirectoryComponent.leavesDirectoryAlone(new String[0])).isFalse();
        assertThat(DataDirectoryComponent.leavesDirectoryAlone(null)).as("no bnd launcher: Karaf, Kura").isFalse();
    }
}
