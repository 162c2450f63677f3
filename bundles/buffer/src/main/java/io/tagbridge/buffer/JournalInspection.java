package io.tagbridge.buffer;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import io.tagbridge.api.pipeline.DropReason;
import io.tagbridge.api.pipeline.JournalCheck;
import io.tagbridge.api.pipeline.JournalCheck.Finding;
import io.tagbridge.api.pipeline.JournalCheck.Severity;
import io.tagbridge.api.pipeline.TargetBacklog;
import io.tagbridge.buffer.journal.FileStorage;
import io.tagbridge.buffer.journal.SegmentInspection;
import io.tagbridge.buffer.journal.SegmentInspection.Kind;
import io.tagbridge.buffer.journal.SegmentInspection.Stretch;

/**
 * The journal check: reads a journal directory as the buffer's start would (segments newest first, as recovery
 * does, then the ledger) and says what it found and what a start would do, without changing anything.
 *
 * <p>What a start does is in {@link io.tagbridge.buffer.journal.Journal} (recovery of the newest segment, damage
 * skipped as readers come to it) and in {@link JournalBuffer} (the ledger restored, values after it counted, values
 * it counted that the journal lost dropped, an unclean stop noted). This class repeats those rules in words; a
 * change there belongs here too, and {@code JournalInspectionTest} compares the two.
 */
final class JournalInspection {

    static final String DAMAGED = "damaged";
    static final String UNREADABLE = "unreadable";
    /** How long a start shows an unclean stop in health; see {@link JournalBuffer}. */
    private static final String UNCLEAN_SHOWN = "5 minutes";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT);
    /** How often a journal in use is looked at again for its ledger, while it is being replaced. */
    private static final int LEDGER_TRIES = 10;

    private final Path directory;
    private final boolean inUse;
    private final ZoneId zone;
    private final List<Finding> findings = new ArrayList<>();
    private final List<String> nextStart = new ArrayList<>();

    private JournalInspection(Path directory, boolean inUse, ZoneId zone) {
        this.directory = directory;
        this.inUse = inUse;
        this.zone = zone;
    }

    /**
     * Checks the journal in a directory.
     *
     * @param zone the time zone of the times in the findings' words
     */
    static JournalCheck.Report inspect(Path directory, boolean inUse, ZoneId zone) {
        return new JournalInspection(directory, inUse, zone).run();
    }

    /** One segment file and what it holds. */
    private record Found(Path file, SegmentInspection.Result result) {
        String name() {
            return file.getFileName().toString();
        }
    }

    /** The ledger copy a start would use, and what was found of the two. */
    private record LedgerCopy(Ledger ledger, String file, Instant written, String currentState,
            String previousState) {
    }

    private JournalCheck.Report run() {
        if (!Files.isDirectory(directory)) {
            problem("NO_JOURNAL", "", "there is no journal at " + directory + (Files.exists(directory)
                    ? ": it is not a directory" : ""),
                    "check --data and --journal: the journal is journal/ in the data directory unless "
                            + "journalDirectory in io.tagbridge.buffer names another. A gateway that never ran with "
                            + "this data directory, or ran with the journal off, has none");
            return report(List.of(), null, List.of());
        }
        LedgerCopy copy = readLedger();
        Ledger ledger = copy.ledger();
        List<LedgerTarget> ledgerTargets = ledger == null ? List.of() : ledger.targets();
        Positions positions = new Positions(ledgerTargets, ledger == null || inUse ? Long.MAX_VALUE
                : ledger.headSeq());

        List<Path> files;
        try {
            files = segmentFiles();
        } catch (IOException e) {
            problem("UNREADABLE_DIRECTORY", "", "the journal directory " + directory + " cannot be listed: " + e,
                    "check the directory's permissions (run the check as the gateway's user) and the disk");
            return report(List.of(), copyToApi(copy), List.of());
        }
        List<Found> found = inspectSegments(files, positions);
        List<Found> readable = found.stream().filter(f -> f.result().readable()).toList();

        long first = readable.isEmpty() ? -1 : readable.get(0).result().baseSeq();
        long end = readable.isEmpty() ? -1 : readable.get(readable.size() - 1).result().nextSeq();
        long held = readable.stream().mapToLong(f -> f.result().values()).sum();

        if (ledger != null && !inUse) {
            positions.lostAfterHead = lostAfter(readable, ledger.headSeq());
        }
        segmentFindings(found, ledger);
        setAside();
        ledgerFindings(copy, held);
        List<JournalCheck.Target> targets = targets(ledger, positions, first, end);
        if (inUse) {
            inUseFinding(found);
        } else {
            plan(copy, found, readable, positions, first, end, held);
        }
        return report(found.stream().map(this::segment).toList(), copyToApi(copy), targets);
    }

    private JournalCheck.Report report(List<JournalCheck.Segment> segments, JournalCheck.Ledger ledger,
            List<JournalCheck.Target> targets) {
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(Comparator.comparing(Finding::severity));
        return new JournalCheck.Report(directory, inUse, segments, ledger, targets, sorted,
                inUse ? List.of() : nextStart);
    }

    // ---------------------------------------------------------------- segments

    private List<Path> segmentFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, FileStorage.PREFIX + "*"
                + FileStorage.SUFFIX)) {
            stream.forEach(files::add);
        }
        files.sort(null);
        return files;
    }

    /**
     * Reads the segments newest first, as recovery finds the newest readable one and each older one's end is the
     * next one's beginning.
     */
    private List<Found> inspectSegments(List<Path> files, Positions positions) {
        List<Found> found = new ArrayList<>();
        boolean newestSeen = false;
        long nextBase = Long.MAX_VALUE;
        for (int i = files.size() - 1; i >= 0; i--) {
            positions.startSegment();
            SegmentInspection.Result result = SegmentInspection.inspect(files.get(i), !newestSeen, nextBase, inUse,
                    positions);
            found.add(new Found(files.get(i), result));
            if (result.readable()) {
                positions.endSegment(result);
                newestSeen = true;
                nextBase = result.baseSeq();
            }
        }
        Collections.reverse(found);
        positions.reverse();
        return found;
    }

    private JournalCheck.Segment segment(Found f) {
        SegmentInspection.Result r = f.result();
        return new JournalCheck.Segment(f.name(), r.format(), r.readable() ? r.baseSeq() : nameBase(f.name()),
                r.size(), r.dataEnd(), r.createdMillis() < 0 ? null : Instant.ofEpochMilli(r.createdMillis()),
                micros(r.syncedAtMicros()), r.records(), r.values(), r.firstSeq(), r.nextSeq(),
                micros(r.newestMicros()), r.readable());
    }

    /** The base sequence a segment's name gives; -1 when the name does not hold one. */
    private static long nameBase(String name) {
        try {
            return Long.parseLong(name.substring(FileStorage.PREFIX.length(), name.length()
                    - FileStorage.SUFFIX.length()));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /**
     * What each segment holds that is not good records. Damage some target still needs values from is a problem:
     * those values are lost when it reads past. Damage every target is past (their values were counted as dropped
     * as it read past, or had been settled before) stays in the segment until it is deleted: a warning.
     */
    private void segmentFindings(List<Found> found, Ledger ledger) {
        for (Found f : found) {
            SegmentInspection.Result r = f.result();
            if (r.vanished()) {
                add(inUse ? Severity.NOTE : Severity.WARNING, "SEGMENT_GONE", f.name(), -1, -1, -1,
                        "segment " + f.name() + " was deleted while the check ran" + (inUse ? ", by the running "
                                + "gateway: every target was done with it" : ", although no gateway seems to run"),
                        inUse ? "nothing to do" : "check what else uses this journal directory");
                continue;
            }
            if (r.problem() != null) {
                problem("UNREADABLE_SEGMENT", f.name(), "segment " + f.name() + " cannot be read: " + r.problem()
                        + ". A start moves it, untouched, to journal/unreadable and does not forward its values "
                        + "(health DOWN, JOURNAL_FORMAT_UNKNOWN)", r.format() > SegmentInspection.KNOWN_FORMAT
                                ? "run the Tagbridge version that wrote it (journal format " + r.format() + ") on "
                                        + "this data directory to forward its values, then this one again"
                                : "the file is damaged: its values cannot be forwarded. Check the disk (dmesg, "
                                        + "smartctl -a); keep the file if you want to look into it");
                continue;
            }
            for (Stretch s : r.stretches()) {
                boolean needed = s.values() > 0 && neededBy(ledger, s.firstSeq() + s.values());
                String passed = "; no target needs them any more: every target's position is past them (their "
                        + "values were counted as dropped when it read past them, or had been settled before)";
                switch (s.kind()) {
                    case DAMAGED_RECORDS -> add(needed ? Severity.PROBLEM : Severity.WARNING, "DAMAGED_RECORDS",
                            f.name(), s.offset(), s.bytes(), s.values(), number(s.bytes()) + " damaged bytes in "
                                    + f.name() + " at byte " + number(s.offset()) + ": records that fail their "
                                    + "checksum or their checks"
                                    + (s.values() <= 0 ? ", holding no value still due"
                                            : needed ? "; " + values(s.values()) + " (" + range(s.firstSeq(),
                                                    s.values()) + ") are lost with them"
                                            : ", which held " + values(s.values()) + " (" + range(s.firstSeq(),
                                                    s.values()) + ")" + passed)
                                    + ". Bytes changed on disk after they were written: a failing disk or flash "
                                    + "card, or a write the disk did not finish when the power went",
                            needed ? "nothing to repair: Tagbridge skips them and counts their values as dropped "
                                    + "(JOURNAL_DAMAGED). Check the disk (dmesg, smartctl -a) and the power supply; "
                                    + "the lost values can only be had from their source"
                                    : "nothing to repair; the segment is deleted once every target is done with it. "
                                            + "Check the disk (dmesg, smartctl -a) and the power supply");
                    case TORN_TAIL -> add(Severity.PROBLEM, "TORN_TAIL", f.name(), s.offset(), s.bytes(), s.values(),
                            "a torn record at the end of the journal: " + number(s.bytes()) + " bytes after the last "
                                    + "good record, at byte " + number(s.offset()) + " of " + f.name()
                                    + (s.values() > 0 ? ", where a record of " + values(s.values()) + " (from "
                                            + number(s.firstSeq()) + ") was being written" : "")
                                    + ". The power went while it was being written; it never fully reached the disk"
                                    + (s.values() > 0 && ledger != null && s.firstSeq() >= ledger.headSeq()
                                            ? ". The ledger had not counted them yet, so no counter will show them: "
                                                    + "they were accepted without waiting for the disk, after its "
                                                    + "last sync, and are lost" : ""),
                            "nothing to repair: the next start cuts it off. A power cut can take what was accepted "
                                    + "in the last sync interval (200 ms by default); offers that must survive one "
                                    + "wait for the disk (the REST POST, durable offers, or sync=ON_ACCEPT)");
                    case MISSING_VALUES -> add(needed ? Severity.PROBLEM : Severity.WARNING, "MISSING_VALUES",
                            f.name(), s.offset(), -1, s.values(), values(s.values()) + " (" + range(s.firstSeq(),
                                    s.values()) + ") are in no segment: the data of " + f.name() + " ends before "
                                    + "the next segment's first value. A segment file between them was deleted or "
                                    + "lost" + (needed ? "" : passed),
                            "if a segment file was moved away, put it back before the next start; otherwise the "
                                    + "values are gone and are counted as dropped (JOURNAL_DAMAGED) for each target "
                                    + "that reads that far");
                    case IN_USE -> {
                        // said once for the journal, below
                    }
                    default -> throw new IllegalStateException(s.kind().toString());
                }
            }
        }
    }

    /** What earlier starts set aside: copies of damaged segments, and segments they could not read. */
    private void setAside() {
        List<Path> copies = files(directory.resolve(DAMAGED));
        if (!copies.isEmpty()) {
            Instant newest = copies.stream().map(JournalInspection::modified).filter(t -> t != null)
                    .max(Comparator.naturalOrder()).orElse(null);
            add(Severity.NOTE, "DAMAGED_COPIES", DAMAGED + "/", -1, bytes(copies), -1,
                    copies.size() + " cop" + (copies.size() == 1 ? "y" : "ies") + " of damaged segments in journal/"
                            + DAMAGED + " (" + names(copies) + (newest == null ? "" : "; the newest from "
                                    + time(newest)) + "), kept by earlier starts when they found damage. Their "
                            + "values were counted then",
                    "look into them if you want to know what was damaged; Tagbridge does not need them: delete "
                            + "them when you are done");
        }
        List<Path> unreadable = files(directory.resolve(UNREADABLE));
        if (!unreadable.isEmpty()) {
            StringBuilder why = new StringBuilder();
            for (Path file : unreadable) {
                SegmentInspection.Result r = SegmentInspection.inspect(file, false, Long.MAX_VALUE, false, null);
                why.append(why.length() == 0 ? "" : "; ").append(file.getFileName()).append(": ")
                        .append(r.problem() != null ? r.problem() : "its header can be read now");
            }
            problem("SEGMENTS_SET_ASIDE", UNREADABLE + "/", unreadable.size() + " segment"
                    + (unreadable.size() == 1 ? "" : "s") + " in journal/" + UNREADABLE + ", set aside by an earlier "
                    + "start because it could not read them; their values are not forwarded (" + why + ")",
                    "if a newer Tagbridge wrote them, run that version on this data directory to forward them; then "
                            + "delete them from journal/" + UNREADABLE + ". If they are damaged, their values cannot "
                            + "be forwarded: delete them once you no longer need them");
        }
    }

    private static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                if (Files.isRegularFile(p)) {
                    found.add(p);
                }
            }
        } catch (IOException e) {
            return found;
        }
        found.sort(null);
        return found;
    }

    private static String names(List<Path> files) {
        List<String> names = files.stream().limit(3).map(p -> p.getFileName().toString()).toList();
        return String.join(", ", names) + (files.size() > 3 ? " and " + (files.size() - 3) + " more" : "");
    }

    private static long bytes(List<Path> files) {
        long sum = 0;
        for (Path f : files) {
            try {
                sum += Files.size(f);
            } catch (IOException e) {
                // left out
            }
        }
        return sum;
    }

    private static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- ledger

    /**
     * The copy a start would use. While a gateway runs, it replaces the ledger every sync interval, and for a moment
     * there is no {@code ledger.properties}: then it is read again.
     */
    private LedgerCopy readLedger() {
        Path current = directory.resolve(Ledger.FILE);
        Path previous = directory.resolve(Ledger.PREVIOUS);
        for (int attempt = 1; ; attempt++) {
            Instant written = modified(current);
            Ledger ledger = Ledger.readCopy(current);
            if (ledger != null) {
                return new LedgerCopy(ledger, Ledger.FILE, written, "readable", state(previous));
            }
            if (!inUse || attempt >= LEDGER_TRIES) {
                break;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Ledger older = Ledger.readCopy(previous);
        return new LedgerCopy(older, older == null ? null : Ledger.PREVIOUS, older == null ? null : modified(previous),
                state(current), older == null ? state(previous) : "readable");
    }

    private static String state(Path copy) {
        if (!Files.exists(copy)) {
            return "missing";
        }
        return Ledger.readCopy(copy) != null ? "readable" : "unreadable";
    }

    private static JournalCheck.Ledger copyToApi(LedgerCopy copy) {
        Ledger l = copy.ledger();
        if (l == null) {
            return null;
        }
        Map<String, Long> refused = new LinkedHashMap<>();
        l.refused().forEach((reason, n) -> {
            if (n > 0) {
                refused.put(reason.name(), n);
            }
        });
        return new JournalCheck.Ledger(copy.file(), copy.written(), l.headSeq(), l.offered(), l.accepted(), refused,
                l.damagedBytes(), l.cleanStop(), l.uncleanStops());
    }

    private void ledgerFindings(LedgerCopy copy, long held) {
        if (copy.ledger() != null) {
            if (Ledger.PREVIOUS.equals(copy.file())) {
                boolean damaged = "unreadable".equals(copy.currentState());
                add(damaged ? Severity.PROBLEM : Severity.WARNING, "LEDGER_PREVIOUS", Ledger.FILE, -1, -1, -1,
                        Ledger.FILE + " is " + copy.currentState() + "; a start uses " + Ledger.PREVIOUS + ", written "
                                + "one sync interval earlier"
                                + (damaged ? ". The file is damaged (or was written by a newer Tagbridge)"
                                        : ": the gateway stopped while it replaced the ledger"),
                        "nothing is lost: targets read a little more again, and values accepted after it are "
                                + "counted from the journal" + (damaged ? ". Check the disk (dmesg, smartctl -a)" : ""));
            }
            return;
        }
        boolean values = held > 0;
        add(values ? Severity.PROBLEM : Severity.NOTE, "NO_LEDGER", Ledger.FILE, -1, -1, -1,
                "no ledger can be read (" + Ledger.FILE + " " + copy.currentState() + ", " + Ledger.PREVIOUS + " "
                        + copy.previousState() + ")" + (values ? ": the counters and the targets' positions are "
                                + "lost, and a start hands every value the journal holds (" + number(held) + ") to "
                                + "every target again" : ": a new journal, or one a gateway has not written a ledger "
                                + "for yet"),
                values ? "nothing to repair: rows already in a table are stored once (valuesAlreadyStored), and "
                        + "the counters start again from zero. If a ledger file was moved away, put it back before "
                        + "the next start; if it is damaged, check the disk (dmesg, smartctl -a)" : "nothing to do");
    }

    // ---------------------------------------------------------------- targets

    private List<JournalCheck.Target> targets(Ledger ledger, Positions positions, long first, long end) {
        if (ledger == null) {
            return List.of();
        }
        long lostAtEnd = lostAtEnd(ledger, end);
        List<JournalCheck.Target> targets = new ArrayList<>();
        List<LedgerTarget> entries = ledger.targets();
        for (int k = 0; k < entries.size(); k++) {
            LedgerTarget t = entries.get(k);
            Counters c = t.counters().copy();
            long lost = lostAtEnd > 0 && t.seq() < ledger.headSeq() ? ledger.headSeq() - Math.max(t.seq(), end) : 0;
            c.drop(DropReason.JOURNAL_DAMAGED, lost);
            long after = positions.afterHead[k] + positions.lostAfterHead;
            long routed = t.routed() + after;
            long backlog = Math.max(0, routed - c.settled());
            long backlogBytes = 0;
            Instant oldest = null;
            if (backlog > 0 && positions.segment[k] >= 0) {
                backlogBytes = positions.bytesFrom(k);
                oldest = micros(positions.received[k]);
            }
            targets.add(new JournalCheck.Target(t.name(), t.filter(), t.seq(), after, new TargetBacklog(routed,
                    c.written, c.alreadyStored, c.backedUp, c.droppedByReason(), backlog, backlogBytes, oldest,
                    t.deletedAtMillis() < 0 ? null : Instant.ofEpochMilli(t.deletedAtMillis()))));
            if (!inUse && first >= 0 && t.seq() < first && t.deletedAtMillis() < 0) {
                problem("MISSING_SEGMENTS", "", "target " + t.name() + " reads again from sequence "
                        + number(t.seq()) + ", but the oldest segment begins at " + number(first) + ": "
                        + values(first - t.seq()) + " it had not settled for good are in no segment. A start begins "
                        + "it at " + number(first) + " and does not count them",
                        "a segment file was deleted or lost. If it was moved away, put it back before the next "
                                + "start; otherwise the values are gone from the journal, and the target's table "
                                + "may lack them");
            }
        }
        return targets;
    }

    /** Values the ledger counted as accepted that the journal no longer holds at its end. */
    private long lostAtEnd(Ledger ledger, long end) {
        return inUse || end < 0 ? 0 : Math.max(0, ledger.headSeq() - end);
    }

    // ---------------------------------------------------------------- in use, or the next start

    private void inUseFinding(List<Found> found) {
        String where = "";
        long offset = -1;
        long bytes = -1;
        String what = "the gateway that holds the data directory runs and writes the journal: the end of its newest "
                + "segment may change at any moment";
        for (Found f : found) {
            for (Stretch s : f.result().stretches()) {
                if (s.kind() == Kind.IN_USE) {
                    where = f.name();
                    offset = s.offset();
                    bytes = s.bytes();
                    what = f.result().beingCreated() ? "the running gateway is creating segment " + f.name()
                            : "the running gateway is writing the end of " + f.name() + ": " + number(s.bytes())
                                    + " bytes after byte " + number(s.offset());
                }
            }
        }
        add(Severity.IN_USE, "IN_USE", where, offset, bytes, -1, what + ". It is not damage; what a start would do "
                + "is not shown", "nothing to do. To check the journal as a start finds it, stop the gateway and "
                        + "run the check again");
    }

    private void plan(LedgerCopy copy, List<Found> found, List<Found> readable, Positions positions, long first,
            long end, long held) {
        Ledger ledger = copy.ledger();
        for (Found f : found) {
            if (f.result().problem() != null) {
                nextStart.add("move " + f.name() + " to journal/unreadable, untouched: its values are not forwarded "
                        + "(health DOWN, JOURNAL_FORMAT_UNKNOWN)");
            }
        }
        if (readable.isEmpty()) {
            long at = ledger == null ? 0 : ledger.headSeq();
            nextStart.add("create a new segment for values from sequence " + number(at) + " on");
        }
        if (ledger != null && Ledger.PREVIOUS.equals(copy.file())) {
            nextStart.add("read the ledger from " + Ledger.PREVIOUS + " (" + Ledger.FILE + " is " + copy.currentState()
                    + ")");
        }
        for (int i = 0; i < readable.size(); i++) {
            Found f = readable.get(i);
            boolean newest = i == readable.size() - 1;
            for (Stretch s : f.result().stretches()) {
                if (s.kind() == Kind.TORN_TAIL) {
                    nextStart.add("cut off the torn record at the end of " + f.name() + ", after keeping a copy of "
                            + "the segment in journal/damaged: it zero-fills the segment from byte "
                            + number(s.offset()) + " on and counts the " + number(s.bytes()) + " bytes written "
                            + "there as damaged bytes");
                } else if (s.kind() == Kind.DAMAGED_RECORDS || s.kind() == Kind.MISSING_VALUES) {
                    String skip = s.kind() == Kind.DAMAGED_RECORDS ? "skip " + number(s.bytes()) + " damaged bytes "
                            + "at byte " + number(s.offset()) + " of " + f.name() : "skip the missing sequence numbers "
                            + range(s.firstSeq(), s.values());
                    boolean needed = s.values() > 0 && neededBy(ledger, s.firstSeq() + s.values());
                    if (newest) {
                        nextStart.add(skip + " as it starts, keeping a copy of the segment in journal/damaged"
                                + (needed ? ": " + values(s.values()) + " counted as dropped (JOURNAL_DAMAGED) for "
                                        + "each target that still needs them" : "; no target needs what they held"));
                    } else if (needed) {
                        nextStart.add(skip + " when a target reads that far, keeping a copy of the segment in "
                                + "journal/damaged: " + values(s.values()) + " counted as dropped (JOURNAL_DAMAGED) "
                                + "for it");
                    } else {
                        nextStart.add("pass by the damage in " + f.name() + ": no target needs its values any more, "
                                + "and the segment is deleted");
                    }
                }
            }
        }
        if (ledger == null) {
            if (held > 0) {
                nextStart.add("start each target at the oldest value kept (sequence " + number(first) + "): every "
                        + "target takes the " + number(held) + " values again; the counters start from zero");
            }
        } else {
            long lost = lostAtEnd(ledger, end);
            if (lost > 0) {
                problem("LOST_AT_END", "", "the ledger counted " + values(lost) + " as accepted (up to sequence "
                        + number(ledger.headSeq() - 1) + ") that the journal does not hold: its end, which had "
                        + "reached the disk, was lost", "nothing to repair: they are counted as dropped "
                                + "(JOURNAL_DAMAGED). The disk lost data it said was written: check it (dmesg, "
                                + "smartctl -a), and its write cache");
                nextStart.add("count the " + values(lost) + " the ledger counted but the journal lost as dropped "
                        + "(JOURNAL_DAMAGED), for each target that had not settled them");
            }
            long after = positions.afterHeadValues + positions.lostAfterHead;
            if (after > 0) {
                nextStart.add("count " + values(after) + " accepted after the ledger was written"
                        + (positions.lostAfterHead > 0 ? " (" + number(positions.lostAfterHead) + " of them lost to "
                                + "damage, routed to every target, which counts them as dropped when it reads past "
                                + "them)" : "") + ": offered " + number(ledger.offered() + after) + ", accepted "
                        + number(ledger.accepted() + after));
            }
        }
        boolean unclean = ledger == null ? held > 0 : !ledger.cleanStop();
        long syncMark = readable.stream().mapToLong(f -> f.result().syncedAtMicros()).max().orElse(-1);
        long newestValue = readable.stream().mapToLong(f -> f.result().newestMicros()).max().orElse(-1);
        if (unclean) {
            long count = (ledger == null ? 0 : ledger.uncleanStops()) + 1;
            String lastSync = syncMark < 0 ? "at an unknown time" : "at " + time(micros(syncMark));
            String newest = newestValue < 0 ? "the journal holds no value" : "the newest value found was accepted at "
                    + time(micros(newestValue));
            add(Severity.WARNING, "UNCLEAN_STOP", ledger == null ? "" : copy.file(), -1, -1, -1,
                    "the gateway did not stop in order the last time (a power cut, a crash or a kill): the journal "
                            + "was last synced to disk " + lastSync + ", and " + newest,
                    "values accepted after the last sync may have been lost if the power was cut; values answered "
                            + "as durable (the REST POST, durable offers, sync=ON_ACCEPT) were not. If it was a power "
                            + "cut, check the gateway's power supply");
            nextStart.add("report an unclean stop, the " + ordinal(count) + " so far: last sync " + lastSync
                    + ", newest value " + (newestValue < 0 ? "none" : time(micros(newestValue)))
                    + " (health DEGRADED, UNCLEAN_STOP, for " + UNCLEAN_SHOWN + ")");
        } else if (ledger != null) {
            nextStart.add("find that the gateway stopped in order the last time: nothing to report");
        }
        if (ledger != null) {
            List<String> reads = new ArrayList<>();
            for (LedgerTarget t : ledger.targets()) {
                long from = first >= 0 ? Math.max(t.seq(), first) : t.seq();
                String read = t.name() + " from " + number(from);
                if (t.deletedAtMillis() >= 0) {
                    read += " (its configuration was deleted at " + time(Instant.ofEpochMilli(t.deletedAtMillis()))
                            + ": its values are kept until releaseDeletedTargetsAfterHours has passed, unless it is "
                            + "configured again)";
                }
                reads.add(read);
            }
            if (!reads.isEmpty()) {
                nextStart.add("let each target read again from its position: " + String.join(", ", reads));
            }
        }
    }

    /**
     * Values lost to damage after the ledger's head: a start counts them as accepted, as it counts every value after
     * the head, and routes them to every target, since their tags cannot be read.
     */
    private static long lostAfter(List<Found> readable, long head) {
        long lost = 0;
        for (Found f : readable) {
            for (Stretch s : f.result().stretches()) {
                if ((s.kind() == Kind.DAMAGED_RECORDS || s.kind() == Kind.MISSING_VALUES) && s.values() > 0) {
                    lost += Math.max(0, s.firstSeq() + s.values() - Math.max(head, s.firstSeq()));
                }
            }
        }
        return lost;
    }

    /** Whether a target the ledger knows still needs values before {@code seq}. */
    private static boolean neededBy(Ledger ledger, long seq) {
        return ledger == null || ledger.targets().stream().anyMatch(t -> t.seq() < seq);
    }

    // ---------------------------------------------------------------- words

    private void problem(String code, String file, String what, String advice) {
        add(Severity.PROBLEM, code, file, -1, -1, -1, what, advice);
    }

    private void add(Severity severity, String code, String file, long offset, long bytes, long values, String what,
            String advice) {
        findings.add(new Finding(severity, code, file, offset, bytes, values, what, advice));
    }

    private String time(Instant instant) {
        return TIME.format(instant.atZone(zone));
    }

    private static Instant micros(long micros) {
        return micros < 0 ? null
                : Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String values(long n) {
        return number(n) + (n == 1 ? " value" : " values");
    }

    private static String range(long first, long count) {
        return count == 1 ? "sequence " + number(first) : "sequences " + number(first) + " to "
                + number(first + count - 1);
    }

    private static String ordinal(long n) {
        long mod100 = n % 100;
        String suffix = mod100 >= 11 && mod100 <= 13 ? "th" : switch ((int) (n % 10)) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return number(n) + suffix;
    }

    // ---------------------------------------------------------------- what the records say of the targets

    /**
     * Collects, while the segments are read: where each target's position lies (its first record at or after it),
     * and the values after the ledger's head each target takes, as a start counts them.
     */
    private static final class Positions implements SegmentInspection.RecordVisitor {
        private final List<LedgerTarget> targets;
        private final List<TagFilter> filters = new ArrayList<>();
        private final long head;
        final long[] afterHead;
        long afterHeadValues;
        /** Values lost to damage after the head; see {@link JournalInspection#lostAfter}. */
        long lostAfterHead;
        /** Per target: the index of the segment of its position (in the order found, then oldest first), or -1. */
        final int[] segment;
        final int[] offset;
        final long[] received;
        /** Per segment, in the order read: where its data ends. */
        private final List<Integer> dataEnds = new ArrayList<>();

        Positions(List<LedgerTarget> targets, long head) {
            this.targets = targets;
            this.head = head;
            for (LedgerTarget t : targets) {
                filters.add(TagFilter.of(t.filter()));
            }
            int n = targets.size();
            afterHead = new long[n];
            segment = new int[n];
            offset = new int[n];
            received = new long[n];
            pending = new int[n];
            pendingReceived = new long[n];
            Arrays.fill(segment, -1);
        }

        /** Where each target's position lies in the segment being read; -1 when not in it. */
        private final int[] pending;
        private final long[] pendingReceived;

        void startSegment() {
            Arrays.fill(pending, -1);
        }

        @Override
        public void record(long seq, int count, long receivedMicros, int at, Supplier<List<String>> tagNames) {
            for (int k = 0; k < targets.size(); k++) {
                if (pending[k] < 0 && seq + count > targets.get(k).seq()) {
                    pending[k] = at;
                    pendingReceived[k] = receivedMicros;
                }
            }
            if (seq + count > head) {
                List<String> names = tagNames.get();
                for (int i = (int) Math.max(0, head - seq); i < count; i++) {
                    afterHeadValues++;
                    String name = names.get(i);
                    for (int k = 0; k < filters.size(); k++) {
                        if (filters.get(k).test(name)) {
                            afterHead[k]++;
                        }
                    }
                }
            }
        }

        /** Segments are read newest first: a match in an older one is nearer the position, and wins. */
        void endSegment(SegmentInspection.Result result) {
            dataEnds.add(result.dataEnd());
            for (int k = 0; k < targets.size(); k++) {
                if (pending[k] >= 0) {
                    segment[k] = dataEnds.size() - 1;
                    offset[k] = pending[k];
                    received[k] = pendingReceived[k];
                }
            }
        }

        /** Turns the order read (newest first) into oldest first. */
        void reverse() {
            Collections.reverse(dataEnds);
            int n = dataEnds.size();
            for (int k = 0; k < segment.length; k++) {
                if (segment[k] >= 0) {
                    segment[k] = n - 1 - segment[k];
                }
            }
        }

        /** The data bytes from target {@code k}'s position to the end of the journal. */
        long bytesFrom(int k) {
            long bytes = dataEnds.get(segment[k]) - (long) offset[k];
            for (int i = segment[k] + 1; i < dataEnds.size(); i++) {
                bytes += dataEnds.get(i) - (long) SegmentInspection.HEADER;
            }
            return Math.max(0, bytes);
        }
    }

}
