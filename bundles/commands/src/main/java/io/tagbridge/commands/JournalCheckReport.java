package io.tagbridge.commands;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tagbridge.api.pipeline.JournalCheck;
import io.tagbridge.api.pipeline.JournalCheck.Finding;
import io.tagbridge.api.pipeline.JournalCheck.Severity;
import io.tagbridge.api.pipeline.TargetBacklog;

/** A journal check's report, for an operator (aligned text) or a script (one JSON object). */
final class JournalCheckReport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT);
    private static final int WIDTH = 110;
    private static final String NL = System.lineSeparator();

    private final JournalCheck.Report report;
    private final JournalCheckCommand.Location location;
    private final LockHolder holder;
    private final ZoneId zone;

    JournalCheckReport(JournalCheck.Report report, JournalCheckCommand.Location location, LockHolder holder,
            ZoneId zone) {
        this.report = report;
        this.location = location;
        this.holder = holder;
        this.zone = zone;
    }

    int exitCode() {
        return report.sound() ? Commands.OK : Commands.FAILED;
    }

    // ---------------------------------------------------------------- text

    String text() {
        StringBuilder b = new StringBuilder();
        line(b, "Journal check of %s", report.directory());
        line(b, "  data directory  %s", location.data());
        line(b, "  journal         %s%s", location.journalFrom(), location.journalOff()
                ? " (the journal is switched off there: this is what an earlier run left)" : "");
        line(b, "  gateway         %s%s", holder.self() ? "this gateway" : holder.detail(),
                report.inUse() ? "; the journal is checked as in use" : "");
        line(b, "  times           local (%s)", zone.getId());
        boolean journal = report.findings().stream().noneMatch(f -> f.code().equals("NO_JOURNAL"));
        if (journal) {
            segments(b);
        }
        findings(b);
        if (journal) {
            ledger(b);
            targets(b);
            nextStart(b);
        }
        b.append(NL).append(verdict()).append(NL);
        return b.toString();
    }

    private void segments(StringBuilder b) {
        List<JournalCheck.Segment> segments = report.segments();
        b.append(NL);
        if (segments.isEmpty()) {
            line(b, "Segments: none");
            return;
        }
        long values = segments.stream().mapToLong(JournalCheck.Segment::values).sum();
        long bytes = segments.stream().mapToLong(JournalCheck.Segment::bytes).sum();
        List<JournalCheck.Segment> readable = segments.stream().filter(JournalCheck.Segment::readable).toList();
        String range = readable.isEmpty() || values == 0 ? "no values"
                : "sequences " + number(readable.get(0).firstSeq()) + " to "
                        + number(readable.get(readable.size() - 1).nextSeq() - 1) + ", " + number(values) + " values";
        line(b, "Segments: %d file%s, %s; %s", segments.size(), segments.size() == 1 ? "" : "s", size(bytes), range);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] { "FILE", "FORMAT", "BASE SEQUENCE", "SIZE", "DATA", "CREATED", "LAST SYNC MARK",
            "RECORDS", "VALUES", "SEQUENCES" });
        for (JournalCheck.Segment s : segments) {
            if (!s.readable()) {
                boolean creating = report.findings().stream().anyMatch(f -> f.severity() == Severity.IN_USE
                        && f.file().equals(s.file()));
                rows.add(new String[] { s.file(), s.format() == 0 ? "?" : Integer.toString(s.format()),
                    s.baseSeq() < 0 ? "?" : number(s.baseSeq()), size(s.bytes()), "-", "-", "-", "-", "-",
                    creating ? "being created" : "cannot be read" });
                continue;
            }
            rows.add(new String[] { s.file(), Integer.toString(s.format()), number(s.baseSeq()), size(s.bytes()),
                size(s.dataBytes()), time(s.created()), s.syncMark() == null ? "none" : time(s.syncMark()),
                number(s.records()), number(s.values()), s.values() == 0 ? "none"
                        : number(s.firstSeq()) + " to " + number(s.nextSeq() - 1) });
        }
        table(b, rows, "LRRRRLLRRL");
        line(b, "  DATA: the bytes up to the end of the last good record. LAST SYNC MARK: when the segment's data was "
                + "last known to be on disk.");
    }

    private void findings(StringBuilder b) {
        b.append(NL);
        if (report.findings().isEmpty()) {
            line(b, "Findings: none");
            return;
        }
        line(b, "Findings");
        for (Finding f : report.findings()) {
            StringBuilder head = new StringBuilder();
            head.append(String.format(Locale.ROOT, "  %-8s %s", label(f.severity()), f.code()));
            if (!f.file().isEmpty()) {
                head.append("  ").append(f.file());
                if (f.offset() >= 0) {
                    head.append(" at byte ").append(number(f.offset()));
                }
            }
            b.append(head).append(NL);
            wrap(b, f.what(), "           ");
            wrap(b, "What to do: " + f.advice(), "           ");
        }
    }

    private static String label(Severity severity) {
        return switch (severity) {
            case PROBLEM -> "PROBLEM";
            case WARNING -> "WARNING";
            case IN_USE -> "IN USE";
            case NOTE -> "NOTE";
        };
    }

    private void ledger(StringBuilder b) {
        b.append(NL);
        JournalCheck.Ledger l = report.ledger();
        if (l == null) {
            line(b, "Ledger: none can be read (see Findings)");
            return;
        }
        line(b, "Ledger: %s, written %s", l.file(), time(l.written()));
        line(b, "  head           %,15d   the journal's next sequence number when it was written", l.head());
        line(b, "  offered        %,15d   at the door", l.offered());
        line(b, "  accepted       %,15d", l.accepted());
        line(b, "  refused        %,15d   %s", l.refused().values().stream().mapToLong(Long::longValue).sum(),
                l.refused().entrySet().stream().map(e -> e.getKey() + " " + number(e.getValue()))
                        .collect(Collectors.joining(", ")));
        line(b, "  damaged bytes  %,15d   found by starts and readers so far", l.damagedBytes());
        String stop = report.inUse() ? "running now (a gateway notes a clean stop as it stops in order)"
                : l.cleanStop() ? "in order" : "NOT in order: the ledger was written while the gateway ran";
        line(b, "  last stop      %15s   %s", l.cleanStop() && !report.inUse() ? "clean" : report.inUse() ? "-"
                : "unclean", stop);
        line(b, "  unclean stops  %,15d   found by starts so far", l.uncleanStops());
    }

    private void targets(StringBuilder b) {
        if (report.ledger() == null) {
            return;
        }
        b.append(NL);
        if (report.targets().isEmpty()) {
            line(b, "Targets: none in the ledger");
            return;
        }
        line(b, "Targets: %d, as the ledger keeps them%s", report.targets().size(), report.inUse()
                ? " (the running gateway's own counters are newer: GET /api/buffer/health)" : "");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] { "TARGET", "POSITION", "BACKLOG", "BYTES", "OLDEST WAITING", "ROUTED", "WRITTEN",
            "ALREADY STORED", "BACKED UP", "DROPPED" });
        for (JournalCheck.Target t : report.targets()) {
            TargetBacklog c = t.backlog();
            rows.add(new String[] { t.name(), number(t.position()), number(c.backlog()), size(c.backlogBytes()),
                c.oldestUnsent() == null ? "-" : time(c.oldestUnsent()), number(c.routed()), number(c.written()),
                number(c.alreadyStored()), number(c.backedUp()), number(c.droppedTotal()) });
        }
        table(b, rows, "LRRRLRRRRR");
        for (JournalCheck.Target t : report.targets()) {
            List<String> notes = new ArrayList<>();
            if (!t.tagFilter().isEmpty()) {
                notes.add("takes " + String.join(", ", t.tagFilter()));
            }
            if (t.afterLedger() > 0) {
                notes.add(number(t.afterLedger()) + " of its values were accepted after the ledger was written");
            }
            t.backlog().dropped().forEach((reason, n) -> {
                if (n > 0) {
                    notes.add("dropped " + reason + " " + number(n));
                }
            });
            if (t.backlog().deletedAt() != null) {
                notes.add("its configuration was deleted at " + time(t.backlog().deletedAt()));
            }
            if (!notes.isEmpty()) {
                wrap(b, t.name() + ": " + String.join("; ", notes), "  ");
            }
        }
        wrap(b, "POSITION: where the target reads again after a start; every value before it is settled for good. "
                + "BACKLOG: the values it takes that it has not settled for good: ROUTED (values accepted that it "
                + "takes, counted by the ledger, and after the ledger from the journal) less WRITTEN, ALREADY STORED, "
                + "BACKED UP and DROPPED as the ledger counts them at POSITION. BYTES: the journal's data from "
                + "POSITION on. A start hands the backlog to the target again; rows it had written already are "
                + "stored once.", "  ");
    }

    private void nextStart(StringBuilder b) {
        if (report.inUse()) {
            b.append(NL);
            line(b, "The next start: not shown while the journal is in use; stop the gateway to see it.");
            return;
        }
        if (report.nextStart().isEmpty()) {
            return;
        }
        b.append(NL);
        line(b, "The next start would");
        int n = 1;
        for (String step : report.nextStart()) {
            String number = String.format(Locale.ROOT, "  %d. ", n++);
            wrap(b, number, step, " ".repeat(number.length()));
        }
    }

    String verdict() {
        long problems = count(Severity.PROBLEM);
        long warnings = count(Severity.WARNING);
        if (problems > 0) {
            String codes = report.findings().stream().filter(f -> f.severity() == Severity.PROBLEM)
                    .map(Finding::code).distinct().collect(Collectors.joining(", "));
            return "PROBLEMS: " + problems + " found (" + codes + "); see Findings." + (warnings > 0 ? " "
                    + warnings + " warning" + (warnings == 1 ? "" : "s") + "." : "");
        }
        String ok = report.inUse() ? "OK: the journal is sound, as far as can be seen while "
                + (holder.self() ? "this gateway" : "the gateway (pid " + holder.pid() + ")") + " writes it (in use)."
                : "OK: the journal is sound.";
        return ok + (warnings > 0 ? " " + warnings + " warning" + (warnings == 1 ? "" : "s") + ": see Findings." : "");
    }

    private long count(Severity severity) {
        return report.findings().stream().filter(f -> f.severity() == severity).count();
    }

    // ---------------------------------------------------------------- JSON

    String json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sound", report.sound());
        m.put("inUse", report.inUse());
        m.put("exitCode", exitCode());
        m.put("journal", report.directory().toString());
        m.put("journalFrom", location.journalFrom());
        m.put("dataDirectory", location.data().toString());
        Map<String, Object> gateway = new LinkedHashMap<>();
        gateway.put("pid", holder.pid());
        gateway.put("running", holder.running());
        gateway.put("detail", holder.detail());
        m.put("gateway", gateway);
        List<Object> segments = new ArrayList<>();
        for (JournalCheck.Segment s : report.segments()) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("file", s.file());
            j.put("readable", s.readable());
            j.put("format", s.format());
            j.put("baseSeq", s.baseSeq());
            j.put("bytes", s.bytes());
            j.put("dataBytes", s.dataBytes());
            j.put("created", iso(s.created()));
            j.put("syncMark", iso(s.syncMark()));
            j.put("records", s.records());
            j.put("values", s.values());
            j.put("firstSeq", s.firstSeq());
            j.put("nextSeq", s.nextSeq());
            j.put("newestValue", iso(s.newestValue()));
            segments.add(j);
        }
        m.put("segments", segments);
        JournalCheck.Ledger l = report.ledger();
        if (l == null) {
            m.put("ledger", null);
        } else {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("file", l.file());
            j.put("written", iso(l.written()));
            j.put("head", l.head());
            j.put("offered", l.offered());
            j.put("accepted", l.accepted());
            j.put("refused", l.refused());
            j.put("damagedBytes", l.damagedBytes());
            j.put("cleanStop", l.cleanStop());
            j.put("uncleanStops", l.uncleanStops());
            m.put("ledger", j);
        }
        List<Object> targets = new ArrayList<>();
        for (JournalCheck.Target t : report.targets()) {
            TargetBacklog c = t.backlog();
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("name", t.name());
            j.put("tagFilter", t.tagFilter());
            j.put("position", t.position());
            j.put("afterLedger", t.afterLedger());
            j.put("routed", c.routed());
            j.put("written", c.written());
            j.put("alreadyStored", c.alreadyStored());
            j.put("backedUp", c.backedUp());
            Map<String, Long> dropped = new LinkedHashMap<>();
            c.dropped().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> dropped.put(e.getKey().name(), e.getValue()));
            j.put("dropped", dropped);
            j.put("backlog", c.backlog());
            j.put("backlogBytes", c.backlogBytes());
            j.put("oldestWaiting", iso(c.oldestUnsent()));
            j.put("deletedAt", iso(c.deletedAt()));
            targets.add(j);
        }
        m.put("targets", targets);
        List<Object> findings = new ArrayList<>();
        for (Finding f : report.findings()) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("severity", f.severity().name());
            j.put("code", f.code());
            j.put("file", f.file());
            j.put("offset", f.offset());
            j.put("bytes", f.bytes());
            j.put("values", f.values());
            j.put("what", f.what());
            j.put("advice", f.advice());
            findings.add(j);
        }
        m.put("findings", findings);
        m.put("nextStart", report.nextStart());
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    // ---------------------------------------------------------------- text helpers

    private String time(Instant instant) {
        return instant == null ? "-" : TIME.format(instant.atZone(zone));
    }

    static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A size in bytes for people: B, KB, MB or GB (of 1,024). */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = { "KB", "MB", "GB", "TB" };
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%,.1f %s", value, units[unit]);
    }

    /** A table, each column as wide as its widest cell; {@code align} holds L or R per column. */
    private static void table(StringBuilder b, List<String[]> rows, String align) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int c = 0; c < columns; c++) {
                String cell = row[c];
                String pad = " ".repeat(width[c] - cell.length());
                line.append(align.charAt(c) == 'R' ? pad + cell : cell + (c == columns - 1 ? "" : pad));
                if (c < columns - 1) {
                    line.append("  ");
                }
            }
            b.append(line.toString().stripTrailing()).append(NL);
        }
    }

    private static void wrap(StringBuilder b, String text, String indent) {
        wrap(b, indent, text, indent);
    }

    /** Words wrapped at the width: the first line begins with {@code first}, the others with {@code indent}. */
    private static void wrap(StringBuilder b, String first, String text, String indent) {
        StringBuilder line = new StringBuilder(first);
        int empty = first.length();
        for (String word : text.split(" +")) {
            if (word.isEmpty()) {
                continue;
            }
            if (line.length() > empty && line.length() + 1 + word.length() > WIDTH) {
                b.append(line).append(NL);
                line = new StringBuilder(indent);
                empty = indent.length();
            }
            if (line.length() > empty) {
                line.append(' ');
            }
            line.append(word);
        }
        b.append(line).append(NL);
    }

    private static void line(StringBuilder b, String format, Object... args) {
        b.append(String.format(Locale.ROOT, format, args).stripTrailing()).append(NL);
    }
}
