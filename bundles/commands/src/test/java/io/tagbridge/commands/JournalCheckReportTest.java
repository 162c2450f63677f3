package io.tagbridge.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tagbridge.api.pipeline.DropReason;
import io.tagbridge.api.pipeline.JournalCheck;
import io.tagbridge.api.pipeline.JournalCheck.Finding;
import io.tagbridge.api.pipeline.JournalCheck.Severity;
import io.tagbridge.api.pipeline.TargetBacklog;

class JournalCheckReportTest {

    private static final Instant T = Instant.parse("2026-03-01T10:12:44.208Z");
    private static final JournalCheckCommand.Location WHERE = new JournalCheckCommand.Location(Path.of("/gw/data"),
            Path.of("/gw/data/journal"), "journal/ in the data directory", false);
    private static final LockHolder STOPPED = new LockHolder(4711, false, false,
            "not running: tagbridge.lock names pid 4711, which is not running");

    private static JournalCheck.Report report(boolean inUse, List<Finding> findings) {
        JournalCheck.Segment segment = new JournalCheck.Segment("segment-00000000000001048576.tbj", 2, 1_048_576,
                64L << 20, 13_000_000, T.minusSeconds(600), T, 25_388, 253_880, 1_048_576, 1_302_456, T, true);
        JournalCheck.Ledger ledger = new JournalCheck.Ledger("ledger.properties", T, 1_302_440, 1_302_500, 1_302_440,
                Map.of("BUFFER_FULL", 60L), 0, false, 1);
        JournalCheck.Target target = new JournalCheck.Target("default", List.of(), 1_302_000, 16,
                new TargetBacklog(1_302_456, 1_301_900, 100, 0, Map.of(DropReason.JOURNAL_DAMAGED, 0L), 456, 18_227,
                        T, null));
        return new JournalCheck.Report(Path.of("/gw/data/journal"), inUse, List.of(segment), ledger,
                List.of(target), findings, inUse ? List.of() : List.of("count 16 values accepted after the ledger "
                        + "was written: offered 1,302,516, accepted 1,302,456"));
    }

    private static final Finding TORN = new Finding(Severity.PROBLEM, "TORN_TAIL", "segment-00000000000001048576.tbj",
            12_998_784, 317, 10, "a torn record at the end of the journal", "nothing to repair");

    @Test
    void theTextShowsNumbersWithSeparatorsAlignedColumnsAndEndsWithTheVerdict() {
        JournalCheckReport printed = new JournalCheckReport(report(false, List.of(TORN)), WHERE, STOPPED,
                ZoneOffset.UTC);

        String text = printed.text();

        assertThat(text).contains("segment-00000000000001048576.tbj").contains("1,048,576").contains("253,880")
                .contains("2026-03-01 10:12:44.208").contains("PROBLEM  TORN_TAIL  segment-00000000000001048576.tbj "
                        + "at byte 12,998,784").contains("What to do: nothing to repair")
                .contains("BUFFER_FULL 60").contains("1. count 16 values accepted after the ledger was written");
        assertThat(text.strip()).endsWith("PROBLEMS: 1 found (TORN_TAIL); see Findings.");
        assertThat(printed.exitCode()).isEqualTo(1);
        String[] lines = text.split(System.lineSeparator());
        int header = indexOf(lines, "  TARGET");
        assertThat(lines[header + 1].indexOf("456")).as("BACKLOG is right-aligned under its heading")
                .isEqualTo(lines[header].indexOf("BACKLOG") + "BACKLOG".length() - 3);
        assertThat(lines).allMatch(l -> l.length() <= 200);
    }

    @Test
    void aJournalInUseIsOkAndSaysWhoWritesIt() {
        Finding inUse = new Finding(Severity.IN_USE, "IN_USE", "segment-00000000000001048576.tbj", 13_000_000, 120,
                -1, "the running gateway is writing the end", "nothing to do");
        JournalCheckReport printed = new JournalCheckReport(report(true, List.of(inUse)), WHERE,
                new LockHolder(4711, true, false, "running: pid 4711 holds the data directory"), ZoneOffset.UTC);

        assertThat(printed.exitCode()).isZero();
        assertThat(printed.text()).contains("IN USE").contains("not shown while the journal is in use")
                .contains("OK: the journal is sound, as far as can be seen while the gateway (pid 4711) writes it (in "
                        + "use).");
    }

    @Test
    void theJsonIsOneObjectWithEverySection() throws Exception {
        JournalCheckReport printed = new JournalCheckReport(report(false, List.of(TORN)), WHERE, STOPPED,
                ZoneOffset.UTC);

        String json = printed.json();

        assertThat(json).doesNotContain("\n");
        JsonNode node = new ObjectMapper().readTree(json);
        assertThat(node.get("sound").asBoolean()).isFalse();
        assertThat(node.get("exitCode").asInt()).isEqualTo(1);
        assertThat(node.get("segments").get(0).get("syncMark").asText()).isEqualTo("2026-03-01T10:12:44.208Z");
        assertThat(node.get("ledger").get("cleanStop").asBoolean()).isFalse();
        assertThat(node.get("targets").get(0).get("backlog").asLong()).isEqualTo(456);
        assertThat(node.get("findings").get(0).get("code").asText()).isEqualTo("TORN_TAIL");
        assertThat(node.get("gateway").get("pid").asLong()).isEqualTo(4711);
    }

    private static int indexOf(String[] lines, String prefix) {
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no line starts with " + prefix);
    }
}
