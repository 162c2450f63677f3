package io.tagbridge.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the README promises, read from its text: the reason codes of its health table, the refusal and drop
 * reasons of its counters, and the metrics of its Prometheus table. Tests compare the gateway with these, so a
 * README that changes changes what is checked.
 */
public final class Readme {

    private static final Pattern CODE = Pattern.compile("`([A-Z][A-Z_]+)`");

    private final String text;

    private Readme(String text) {
        this.text = text;
    }

    public static Readme of(Path file) throws IOException {
        return new Readme(Files.readString(file));
    }

    /** The codes in the first column of the table under "| reason | where | meaning |". */
    public Set<String> reasonCodes() {
        Set<String> codes = new TreeSet<>();
        for (String row : between("| reason | where | meaning |", "\n\n").split("\n")) {
            String[] cells = row.split("\\|");
            if (cells.length > 1) {
                codes.addAll(codes(cells[1]));
            }
        }
        return require(codes, "the reason table");
    }

    /** The refusal reasons the counters section lists after "`refused` splits the refusals by reason:". */
    public Set<String> refusalReasons() {
        return require(codes(between("`refused` splits the refusals by reason:", "Values whose")),
                "the refusal reasons");
    }

    /**
     * The drop reasons listed in "`valuesDropped` (by reason: ...)": the first code of each item, since an item may
     * say more ("`OVERFLOW` by the policy `DROP_OLDEST`").
     */
    public Set<String> dropReasons() {
        Set<String> reasons = new TreeSet<>();
        for (String item : between("`valuesDropped` (by reason:", ")").split(",")) {
            codes(item).stream().findFirst().ifPresent(reasons::add);
        }
        return require(reasons, "the drop reasons");
    }

    /**
     * The table of metrics under "### `GET /metrics` (Prometheus)", name to type. A row may list several names; one
     * that starts with an underscore shares the first name's stem ({@code tagbridge_values_written_total,
     * _dropped_total}).
     */
    public Map<String, String> metrics() {
        String section = between("### `GET /metrics` (Prometheus)", "\n### ");
        Map<String, String> metrics = new TreeMap<>();
        Matcher row = Pattern.compile("^\\| (`tagbridge_.*?) \\| (counter|gauge|histogram) \\|", Pattern.MULTILINE)
                .matcher(section);
        while (row.find()) {
            String stem = null;
            Matcher name = Pattern.compile("`(_?[a-z_]+)`").matcher(row.group(1));
            while (name.find()) {
                String n = name.group(1);
                if (n.startsWith("_")) {
                    n = stem + n;
                } else {
                    stem = n.replaceAll("_[a-z]+_total$", "");
                }
                metrics.put(n, row.group(2));
            }
        }
        return require(metrics, "the metrics table");
    }

    private String between(String start, String end) {
        int from = text.indexOf(start);
        if (from < 0) {
            throw new IllegalStateException("the README has no \"" + start + "\" any more: update Readme.java");
        }
        from += start.length();
        int to = text.indexOf(end, from + 1);
        return text.substring(from, to < 0 ? text.length() : to);
    }

    /** The codes in the order the text names them. */
    private static Set<String> codes(String text) {
        Set<String> codes = new LinkedHashSet<>();
        Matcher m = CODE.matcher(text);
        while (m.find()) {
            codes.add(m.group(1));
        }
        return codes;
    }

    private static <T extends Map<?, ?>> T require(T found, String what) {
        if (found.isEmpty()) {
            throw new IllegalStateException("found nothing in " + what + " of the README: update Readme.java");
        }
        return found;
    }

    private static Set<String> require(Set<String> found, String what) {
        if (found.isEmpty()) {
            throw new IllegalStateException("found nothing in " + what + " of the README: update Readme.java");
        }
        return found;
    }
}
