package io.tagbridge.coverage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tagbridge.api.RefusalReason;
import io.tagbridge.api.pipeline.DropReason;
import io.tagbridge.testkit.Heard;
import io.tagbridge.testkit.Readme;

/**
 * Every reason code, refusal reason, drop reason and metric name the README documents was heard by an integration
 * test: received from a real gateway or framework in a health answer, the metrics or {@code /metrics}. A documented
 * word that no test produces is a promise without proof. Codes that only an Oracle server raises are exempt, each
 * with its reason in {@code oracle-only-reasons.txt}.
 *
 * <p>The power-cut and full-disk tests need root and LazyFS; a run without them ({@code tagbridge.fulldisk.required}
 * not set, as on a developer's machine) cannot hear every word, so there a missing word skips instead of failing.
 * CI sets it, and fails.
 */
class EveryDocumentedWordIsHeardTest {

    private static final Path ROOT = Path.of("..");
    private static final Path[] HEARD_BY = { ROOT.resolve("itests/target/heard"), ROOT.resolve("bndrun/target/heard") };

    private static Readme readme;
    private static Map<String, String> oracleOnly;

    @BeforeAll
    static void read() throws IOException {
        readme = Readme.of(ROOT.resolve("README.md"));
        oracleOnly = new TreeMap<>();
        String list = new String(EveryDocumentedWordIsHeardTest.class.getResourceAsStream("/oracle-only-reasons.txt")
                .readAllBytes(), StandardCharsets.UTF_8);
        list.lines().filter(line -> !line.isBlank() && !line.startsWith("#")).forEach(line -> {
            String[] parts = line.split("\\|", 2);
            oracleOnly.put(parts[0].strip(), parts.length > 1 ? parts[1].strip() : "");
        });
    }

    @Test
    void everyReasonCodeOfTheHealthTableIsProducedByATest() throws IOException {
        Set<String> expected = new TreeSet<>(readme.reasonCodes());
        expected.removeAll(oracleOnly.keySet());
        assertAllHeard("reason codes of the README's health table", expected, Heard.Kind.REASON);
    }

    @Test
    void everyRefusalReasonIsProducedByATest() throws IOException {
        assertAllHeard("refusal reasons of the README's counters", readme.refusalReasons(), Heard.Kind.REFUSAL);
    }

    @Test
    void everyDropReasonIsProducedByATest() throws IOException {
        assertAllHeard("drop reasons of the README's counters", readme.dropReasons(), Heard.Kind.DROP);
    }

    @Test
    void everyMetricOfThePrometheusTableIsExposedToATest() throws IOException {
        assertAllHeard("metrics of the README's Prometheus table", readme.metrics().keySet(), Heard.Kind.METRIC);
    }

    @Test
    void theReadmeListsExactlyTheRefusalAndDropReasonsTheApiHas() {
        assertThat(readme.refusalReasons()).containsExactlyInAnyOrderElementsOf(
                Stream.of(RefusalReason.values()).map(Enum::name).toList());
        assertThat(readme.dropReasons()).containsExactlyInAnyOrderElementsOf(
                Stream.of(DropReason.values()).map(Enum::name).toList());
    }

    @Test
    void theOracleOnlyListNamesDocumentedCodesEachWithItsReason() {
        assertThat(oracleOnly).isNotEmpty();
        assertThat(readme.reasonCodes()).as("codes on the Oracle-only list that the README does not document")
                .containsAll(oracleOnly.keySet());
        oracleOnly.forEach((code, why) -> assertThat(why).as("why only Oracle raises " + code).isNotBlank());
    }

    private static void assertAllHeard(String what, Set<String> documented, Heard.Kind kind) throws IOException {
        Set<String> heard = heard(kind);
        Assumptions.assumeFalse(heard.isEmpty(), "no integration test recorded what it heard: run the whole build "
                + "(mvn verify), which runs the itests and bndrun modules before this one");
        Set<String> missing = new TreeSet<>(documented);
        missing.removeAll(heard);
        if (!Boolean.getBoolean("tagbridge.fulldisk.required")) {
            Assumptions.assumeTrue(missing.isEmpty(), "without the root-only tests these " + what + " were not heard: "
                    + missing);
        }
        assertThat(missing).as(what + " that no test produced: write a test that produces each from its real cause "
                + "(or, if only an Oracle server can, add it to oracle-only-reasons.txt with the reason)").isEmpty();
    }

    private static Set<String> heard(Heard.Kind kind) throws IOException {
        Set<String> words = new TreeSet<>();
        String prefix = kind.name().toLowerCase() + ".";
        for (Path folder : HEARD_BY) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> files = Files.list(folder)) {
                for (Path file : files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList()) {
                    words.addAll(Files.readAllLines(file));
                }
            }
        }
        return words;
    }
}
