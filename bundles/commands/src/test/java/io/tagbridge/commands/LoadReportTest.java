package io.tagbridge.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class LoadReportTest {

    private static LoadReport report(long unaccounted, long duplicates) {
        return new LoadReport(new LoadOptions(1000, 60, 100, true, null), "load.x.", 60_000, 60_000, 0, "", 59_999, 0,
                999.9, 120, 2.5, 2.0, 4.0, 6.0, 260, 510, 100, List.of("TAG_VALUES"), 59_999, 0, 0, unaccounted,
                duplicates, 0, 40, 64, 12, 30);
    }

    @Test
    void theJsonHasTheKeysScriptsRelyOn() throws Exception {
        JsonNode json = new ObjectMapper().readTree(report(1, 0).json());

        assertThat(json.get("offered").asLong()).isEqualTo(60_000);
        assertThat(json.get("accepted").asLong()).isEqualTo(60_000);
        assertThat(json.get("written").asLong()).isEqualTo(59_999);
        assertThat(json.get("backedUp").asLong()).isZero();
        assertThat(json.get("refused").asLong()).isZero();
        assertThat(json.get("throughputPerSecond").asDouble()).isEqualTo(999.9);
        assertThat(json.get("writeLatencyP99Ms").asDouble()).isEqualTo(6.0);
        assertThat(json.get("sourceToCommitP99Ms").asDouble()).isEqualTo(510.0);
        assertThat(json.get("unaccounted").asLong()).isEqualTo(1);
        assertThat(json.get("duplicates").asLong()).isZero();
        assertThat(json.get("passed").asBoolean()).isFalse();
    }

    @Test
    void theTextSaysWhatFailed() {
        assertThat(report(0, 0).text()).contains("PASSED").doesNotContain("FAILED");
        assertThat(report(1, 0).text()).contains("FAILED: 1 accepted values are neither in the database nor");
        assertThat(report(0, 2).text()).contains("FAILED: 2 values were stored more than once");
    }
}
