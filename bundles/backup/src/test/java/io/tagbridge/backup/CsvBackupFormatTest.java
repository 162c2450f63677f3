package io.tagbridge.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.ReceivedValue;

class CsvBackupFormatTest {

    private static final Instant T = Instant.parse("2026-03-01T10:15:30.123456Z");

    @Test
    void everyFieldOfEveryKindOfValueSurvivesARoundTrip() throws Exception {
        List<TagValue> values = List.of(
                TagValue.of("plc1.counter", T, Long.MIN_VALUE, Quality.GOOD),
                TagValue.of("plc1.temp", T.plusNanos(1000), -0.1 + 0.2, Quality.UNCERTAIN),
                TagValue.of("plc1.temp", T, Double.MIN_VALUE, Quality.of(0xD8)),
                new TagValue("plc1.exact", T, new BigDecimal("-12345678901234567890.000000001"), Quality.GOOD),
                TagValue.of("plc1.running", T, true, Quality.GOOD),
                TagValue.of("plc1.text", T, "line one\nline \"two\", with comma", Quality.GOOD),
                TagValue.of("plc1.numeric-looking text", T, "00123", Quality.GOOD),
                TagValue.of("plc1.empty", T, "", Quality.GOOD),
                new TagValue("plc1.missing", T, null, Quality.BAD),
                TagValue.of("=cmd|' /C calc'!A0", T, "=HYPERLINK(\"http://x\")", Quality.GOOD),
                TagValue.of("'quoted", T, "'=already quoted", Quality.GOOD),
                TagValue.of("plc1.unicode", Instant.EPOCH, "température µs ✓", Quality.GOOD));
        List<ReceivedValue> received = values.stream()
                .map(v -> new ReceivedValue(v, ReceivedValue.micros(T.plusSeconds(1)))).toList();
        StringBuilder csv = new StringBuilder();

        CsvBackupFormat.write(csv, received, "database unreachable");

        assertThat(CsvBackupFormat.read(new StringReader(csv.toString()))).containsExactlyElementsOf(received);
    }

    @Test
    void startsWithAHeaderRowAndGivesTheReasonInACommentLine() throws Exception {
        StringBuilder csv = new StringBuilder();
        CsvBackupFormat.write(csv, received(TagValue.of("a", T, 1L, Quality.GOOD)), "r");
        assertThat(csv.toString()).startsWith("tag_name,source_time,value_type,value,quality,received_time\n"
                + "# reason: r\n");
    }

    @Test
    void aReasonIsWrittenOnceForAsLongAsItStaysTheSame() throws Exception {
        StringBuilder csv = new StringBuilder();
        CsvBackupFormat.writeHeader(csv);
        CsvBackupFormat.write(csv, received(TagValue.of("a", T, 1L, Quality.GOOD)), "outage", null);
        CsvBackupFormat.write(csv, received(TagValue.of("b", T, 1L, Quality.GOOD)), "outage", "outage");
        CsvBackupFormat.write(csv, received(TagValue.of("c", T, 1L, Quality.GOOD)), "bad row", "outage");

        assertThat(csv.toString().split("# reason: ", -1)).hasSize(3);
        assertThat(CsvBackupFormat.readRows(new StringReader(csv.toString()))).extracting(CsvBackupFormat.Row::reason)
                .containsExactly("outage", "outage", "bad row");
    }

    @Test
    void filesOfTheFirstFormatWithAReasonColumnAreReadToo() throws Exception {
        String first = "tag_name,source_time,value_type,value,quality,received_time,reason\r\n"
                + "a,2026-03-01T10:00:00Z,long,7,192,2026-03-01T10:00:01Z,'=outage\r\n";

        List<CsvBackupFormat.Row> rows = CsvBackupFormat.readRows(new StringReader(first));

        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.value().value().value()).isEqualTo(7L);
            assertThat(row.reason()).isEqualTo("=outage");
        });
    }

    @Test
    void textThatASpreadsheetWouldRunIsDefused() throws Exception {
        StringBuilder csv = new StringBuilder();
        CsvBackupFormat.write(csv, received(
                TagValue.of("@SUM(A1)", T, "+1+1", Quality.GOOD),
                TagValue.of("tab", T, "\tx", Quality.GOOD),
                TagValue.of("dash", T, "-2+3", Quality.GOOD)), "=1+1");
        String text = csv.toString();
        assertThat(text).contains("'@SUM(A1)", "'+1+1", "'\tx", "'-2+3", "\n# reason: =1+1\n");
        assertThat(text).doesNotContain(",@", ",+", ",=", ",-2", "\n=");
    }

    @Test
    void negativeNumbersAreNeverMangled() throws Exception {
        StringBuilder csv = new StringBuilder();
        CsvBackupFormat.write(csv, received(
                TagValue.of("a", T, -5L, Quality.GOOD),
                TagValue.of("b", T, -2.5e-10, Quality.GOOD)), "r");
        assertThat(csv.toString()).contains(",l,-5,", ",d,-2.5E-10,");
    }

    private static List<ReceivedValue> received(TagValue... values) {
        return java.util.Arrays.stream(values).map(v -> new ReceivedValue(v, ReceivedValue.micros(T))).toList();
    }
}
