package io.tagbridge.buffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import io.tagbridge.api.pipeline.DropReason;
import io.tagbridge.api.pipeline.JournalCheck;
import io.tagbridge.api.pipeline.JournalCheck.Severity;
import io.tagbridge.api.pipeline.TargetBacklog;

/**
 * The journal check: reads a journal directory as the buffer's start would (segments newest first, as recovery
 * does, then the ledger) and says what it found and what a start would do, without changing anything. The
 * segments are {@link SegmentFindings}' part, the ledger {@link LedgerCopy}'s, and the next start
 * {@link StartPlan}'s; this class says what becomes of each target.
 *
 * <p>What a start does is in {@link io.tagbridge.buffer.journal.Journal} (recovery of the newest segment, damage
 * skipped as readers come to it) and in {@link Recovery} (the ledger restored, values after it counted, values it
 * counted that the journal lost dropped, an unclean stop noted). The check repeats those rules in words; a change
 * there belongs here too, and {@code JournalInspectionTest} compares the two.
 */
final class JournalInspection {

    private final Path directory;
    private final boolean inUse;
    private final CheckNotes notes;
    private final SegmentFindings segments;
    private final StartPlan plan;

    private JournalInspection(Path directory, boolean inUse, ZoneId zone) {
        this.directory = directory;
        this.inUse = inUse;
        this.notes = new CheckNotes(zone);
        this.segments = new SegmentFindings(directory, inUse, notes);
        this.plan = new StartPlan(notes);
    }

    /**
     * Checks the journal in a directory.
     *
     * @param zone the time zone of the times in the findings' words
     */
    static JournalCheck.Report inspect(Path directory, boolean inUse, ZoneId zone) {
        return new JournalInspection(directory, inUse, zone).run();
    }

    private JournalCheck.Report run() {
        if (!Files.isDirectory(directory)) {
            notes.problem("NO_JOURNAL", "", "there is no journal at " + directory + (Files.exists(directory)
                    ? ": it is not a directory" : ""),
                    "check --data and --journal: the journal is journal/ in the data directory unless "
                            + "journalDirectory in io.tagbridge.buffer names another. A gateway that never ran with "
                            + "this data directory, or ran with the journal off, has none");
            return report(List.of(), null, List.of());
        }
        LedgerCopy copy = LedgerCopy.read(directory, inUse);
        Ledger ledger = copy.ledger();
        List<LedgerTarget> ledgerTargets = ledger == null ? List.of() : ledger.targets();
        RecordedPositions positions = new RecordedPositions(ledgerTargets, ledger == null || inUse ? Long.MAX_VALUE
                : ledger.headSeq());

        List<Path> files;
        try {
            files = segments.segmentFiles();
        } catch (IOException e) {
            notes.problem("UNREADABLE_DIRECTORY", "", "the journal directory " + directory + " cannot be listed: " + e,
                    "check the directory's permissions (run the check as the gateway's user) and the disk");
            return report(List.of(), copy.toApi(), List.of());
        }
        List<FoundSegment> found = segments.inspectSegments(files, positions);
        List<FoundSegment> readable = found.stream().filter(f -> f.result().readable()).toList();

        long first = readable.isEmpty() ? -1 : readable.get(0).result().baseSeq();
        long end = readable.isEmpty() ? -1 : readable.get(readable.size() - 1).result().nextSeq();
        long held = readable.stream().mapToLong(f -> f.result().values()).sum();

        if (ledger != null && !inUse) {
            positions.lostAfterHead = StartPlan.lostAfter(readable, ledger.headSeq());
        }
        segments.segmentFindings(found, ledger);
        segments.setAside();
        copy.findings(notes, held);
        List<JournalCheck.Target> targets = targets(ledger, positions, first, end);
        if (inUse) {
            plan.inUse(found);
        } else {
            plan.plan(copy, found, readable, positions, first, held, ledger == null ? 0 : lostAtEnd(ledger, end));
        }
        return report(found.stream().map(SegmentFindings::segment).toList(), copy.toApi(), targets);
    }

    private JournalCheck.Report report(List<JournalCheck.Segment> segmentsFound, JournalCheck.Ledger ledger,
            List<JournalCheck.Target> targets) {
        return new JournalCheck.Report(directory, inUse, segmentsFound, ledger, targets, notes.findings(),
                inUse ? List.of() : notes.nextStart());
    }

    private List<JournalCheck.Target> targets(Ledger ledger, RecordedPositions positions, long first, long end) {
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
                oldest = CheckNotes.micros(positions.received[k]);
            }
            targets.add(new JournalCheck.Target(t.name(), t.filter(), t.seq(), after, new TargetBacklog(routed,
                    c.written, c.alreadyStored, c.backedUp, c.droppedByReason(), backlog, backlogBytes, oldest,
                    t.deletedAtMillis() < 0 ? null : Instant.ofEpochMilli(t.deletedAtMillis()))));
            if (t.liveAhead()) {
                notes.add(Severity.NOTE, "LIVE_AHEAD", Ledger.FILE, -1, -1, t.liveTo() - t.liveFrom(), "target "
                        + t.name() + " was catching up with values first (liveFirst): its live lane had written "
                        + "sequence " + CheckNotes.number(t.liveFrom()) + " to " + CheckNotes.number(t.liveTo())
                        + " ahead of its position. A start writes them again with the rest of the backlog, the "
                        + "duplicate-safe way, and counts them already stored", "nothing to do");
            }
            if (!inUse && first >= 0 && t.seq() < first && t.deletedAtMillis() < 0) {
                notes.problem("MISSING_SEGMENTS", "", "target " + t.name() + " reads again from sequence "
                        + CheckNotes.number(t.seq()) + ", but the oldest segment begins at " + CheckNotes.number(first) + ": "
                        + CheckNotes.values(first - t.seq()) + " it had not settled for good are in no segment. A start begins "
                        + "it at " + CheckNotes.number(first) + " and does not count them",
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
}
