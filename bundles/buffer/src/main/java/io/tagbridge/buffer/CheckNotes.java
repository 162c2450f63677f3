package io.tagbridge.buffer;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import io.tagbridge.api.pipeline.JournalCheck.Finding;
import io.tagbridge.api.pipeline.JournalCheck.Severity;

/** What the journal check found and what the next start would do, and the words both are told in. */
final class CheckNotes {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT);

    private final ZoneId zone;
    private final List<Finding> findings = new ArrayList<>();
    private final List<String> nextStart = new ArrayList<>();

    /** @param zone the time zone of the times in the findings' words */
    CheckNotes(ZoneId zone) {
        this.zone = zone;
    }

    /** The findings, most severe first. */
    List<Finding> findings() {
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(Comparator.comparing(Finding::severity));
        return sorted;
    }

    /** A step of the next start. */
    void next(String step) {
        nextStart.add(step);
    }

    List<String> nextStart() {
        return List.copyOf(nextStart);
    }

    void problem(String code, String file, String what, String advice) {
        add(Severity.PROBLEM, code, file, -1, -1, -1, what, advice);
    }

    void add(Severity severity, String code, String file, long offset, long bytes, long values, String what,
            String advice) {
        findings.add(new Finding(severity, code, file, offset, bytes, values, what, advice));
    }

    String time(Instant instant) {
        return TIME.format(instant.atZone(zone));
    }

    static Instant micros(long micros) {
        return micros < 0 ? null
                : Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String values(long n) {
        return number(n) + (n == 1 ? " value" : " values");
    }

    static String range(long first, long count) {
        return count == 1 ? "sequence " + number(first) : "sequences " + number(first) + " to "
                + number(first + count - 1);
    }

    static String ordinal(long n) {
        long mod100 = n % 100;
        String suffix = mod100 >= 11 && mod100 <= 13 ? "th" : switch ((int) (n % 10)) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return number(n) + suffix;
    }
}
