package io.tagbridge.buffer;

import static io.tagbridge.buffer.CheckNotes.micros;
import static io.tagbridge.buffer.CheckNotes.number;
import static io.tagbridge.buffer.CheckNotes.range;
import static io.tagbridge.buffer.CheckNotes.values;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

import io.tagbridge.api.pipeline.JournalCheck;
import io.tagbridge.api.pipeline.JournalCheck.Severity;
import io.tagbridge.buffer.journal.FileStorage;
import io.tagbridge.buffer.journal.SegmentInspection;
import io.tagbridge.buffer.journal.SegmentInspection.Stretch;

/**
 * The journal check's segments: read newest first, as recovery reads them, and what each holds that is not good
 * records; then what earlier starts set aside.
 */
final class SegmentFindings {

    private final Path directory;
    private final boolean inUse;
    private final CheckNotes notes;

    SegmentFindings(Path directory, boolean inUse, CheckNotes notes) {
        this.directory = directory;
        this.inUse = inUse;
        this.notes = notes;
    }

    List<Path> segmentFiles() throws IOException {
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
    List<FoundSegment> inspectSegments(List<Path> files, RecordedPositions positions) {
        List<FoundSegment> found = new ArrayList<>();
        boolean newestSeen = false;
        long nextBase = Long.MAX_VALUE;
        for (int i = files.size() - 1; i >= 0; i--) {
            positions.startSegment();
            SegmentInspection.Result result = SegmentInspection.inspect(files.get(i), !newestSeen, nextBase, inUse,
                    positions);
            found.add(new FoundSegment(files.get(i), result));
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

    static JournalCheck.Segment segment(FoundSegment f) {
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
    void segmentFindings(List<FoundSegment> found, Ledger ledger) {
        for (FoundSegment f : found) {
            SegmentInspection.Result r = f.result();
            if (r.vanished()) {
                notes.add(inUse ? Severity.NOTE : Severity.WARNING, "SEGMENT_GONE", f.name(), -1, -1, -1,
                        "segment " + f.name() + " was deleted while the check ran" + (inUse ? ", by the running "
                                + "gateway: every target was done with it" : ", although no gateway seems to run"),
                        inUse ? "nothing to do" : "check what else uses this journal directory");
                continue;
            }
            if (r.problem() != null) {
                notes.problem("UNREADABLE_SEGMENT", f.name(), "segment " + f.name() + " cannot be read: " + r.problem()
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
                    case DAMAGED_RECORDS -> notes.add(needed ? Severity.PROBLEM : Severity.WARNING, "DAMAGED_RECORDS",
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
                    case TORN_TAIL -> notes.add(Severity.PROBLEM, "TORN_TAIL", f.name(), s.offset(), s.bytes(), s.values(),
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
                    case MISSING_VALUES -> notes.add(needed ? Severity.PROBLEM : Severity.WARNING, "MISSING_VALUES",
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
    void setAside() {
        List<Path> copies = files(directory.resolve(FileStorage.DAMAGED));
        if (!copies.isEmpty()) {
            Instant newest = copies.stream().map(JournalFiles::modified).filter(t -> t != null)
                    .max(Comparator.naturalOrder()).orElse(null);
            notes.add(Severity.NOTE, "DAMAGED_COPIES", FileStorage.DAMAGED + "/", -1, bytes(copies), -1,
                    copies.size() + " cop" + (copies.size() == 1 ? "y" : "ies") + " of damaged segments in journal/"
                            + FileStorage.DAMAGED + " (" + names(copies) + (newest == null ? "" : "; the newest from "
                                    + notes.time(newest)) + "), kept by earlier starts when they found damage. Their "
                            + "values were counted then",
                    "look into them if you want to know what was damaged; Tagbridge does not need them: delete "
                            + "them when you are done");
        }
        List<Path> unreadable = files(directory.resolve(FileStorage.UNREADABLE));
        if (!unreadable.isEmpty()) {
            StringBuilder why = new StringBuilder();
            for (Path file : unreadable) {
                SegmentInspection.Result r = SegmentInspection.inspect(file, false, Long.MAX_VALUE, false, null);
                why.append(why.length() == 0 ? "" : "; ").append(file.getFileName()).append(": ")
                        .append(r.problem() != null ? r.problem() : "its header can be read now");
            }
            notes.problem("SEGMENTS_SET_ASIDE", FileStorage.UNREADABLE + "/", unreadable.size() + " segment"
                    + (unreadable.size() == 1 ? "" : "s") + " in journal/" + FileStorage.UNREADABLE + ", set aside by an earlier "
                    + "start because it could not read them; their values are not forwarded (" + why + ")",
                    "if a newer Tagbridge wrote them, run that version on this data directory to forward them; then "
                            + "delete them from journal/" + FileStorage.UNREADABLE + ". If they are damaged, their values cannot "
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

    /** Whether a target the ledger knows still needs values before {@code seq}. */
    static boolean neededBy(Ledger ledger, long seq) {
        return ledger == null || ledger.targets().stream().anyMatch(t -> t.seq() < seq);
    }
}
