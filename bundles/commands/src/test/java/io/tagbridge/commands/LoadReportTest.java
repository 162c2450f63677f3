package io.tagbridge.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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
    void everyKeyTheBenchmarkScriptsPickFromTheReportIsInIt() throws Exception {
        JsonNode json = new ObjectMapper().readTree(report(0, 0).json());
        Pattern projection = Pattern.compile("jq -c[^']*'\\{([^}]*)\\}'");
        Set<String> picked = new TreeSet<>();
        try (Stream<Path> scripts = Files.list(Path.of("../../benchmarks/scripts"))) {
            for (Path script : scripts.filter(p -> p.toString().endsWith(".sh")).toList()) {
                Matcher m = projection.matcher(Files.readString(script));
                while (m.find()) {
                    for (String field : m.group(1).split(",")) {
                        if (!field.contains(":")) {
                            picked.add(field.trim());
                        }
                    }
                }
            }
        }

        assertThat(picked).as("keys the scripts pick").contains("throughputPerSecond", "sourceToCommitP99Ms");
        assertThat(picked).allSatisfy(key -> assertThat(json.has(key)).as("the report has " + key).isTrue());
    }

    @Test
    void theJsonCarriesEachCountAndFigureUnderItsKey() throws Exception {
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
