package io.tagbridge.buffer;

import static io.tagbridge.buffer.CheckNotes.micros;
import static io.tagbridge.buffer.CheckNotes.number;
import static io.tagbridge.buffer.CheckNotes.ordinal;
import static io.tagbridge.buffer.CheckNotes.range;
import static io.tagbridge.buffer.CheckNotes.values;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.tagbridge.api.pipeline.JournalCheck.Severity;
import io.tagbridge.buffer.journal.SegmentInspection.Kind;
import io.tagbridge.buffer.journal.SegmentInspection.Stretch;

/**
 * The journal check's account of what the next start would do with what was found, in the order it does it; or,
 * while a gateway runs on the journal, that it does.
 */
final class StartPlan {

    /** How long a start shows an unclean stop in health; see {@link BufferHealth}. */
    private static final String UNCLEAN_SHOWN = "5 minutes";

    private final CheckNotes notes;

    StartPlan(CheckNotes notes) {
        this.notes = notes;
    }

    /** A gateway runs on this journal: what the check can say of it then. */
    void inUse(List<FoundSegment> found) {
        String where = "";
        long offset = -1;
        long bytes = -1;
        String what = "the gateway that holds the data directory runs and writes the journal: the end of its newest "
                + "segment may change at any moment";
        for (FoundSegment f : found) {
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
        notes.add(Severity.IN_USE, "IN_USE", where, offset, bytes, -1, what + ". It is not damage; what a start would do "
                + "is not shown", "nothing to do. To check the journal as a start finds it, stop the gateway and "
                        + "run the check again");
    }

    /** What the next start would do, step by step; {@code lostAtEnd} as the targets were counted. */
    void plan(LedgerCopy copy, List<FoundSegment> found, List<FoundSegment> readable, RecordedPositions positions,
            long first, long held, long lostAtEnd) {
        Ledger ledger = copy.ledger();
        for (FoundSegment f : found) {
            if (f.result().problem() != null) {
                notes.next("move " + f.name() + " to journal/unreadable, untouched: its values are not forwarded "
                        + "(health DOWN, JOURNAL_FORMAT_UNKNOWN)");
            }
        }
        if (readable.isEmpty()) {
            long at = ledger == null ? 0 : ledger.headSeq();
            notes.next("create a new segment for values from sequence " + number(at) + " on");
        }
        if (ledger != null && Ledger.PREVIOUS.equals(copy.file())) {
            notes.next("read the ledger from " + Ledger.PREVIOUS + " (" + Ledger.FILE + " is " + copy.currentState()
                    + ")");
        }
        for (int i = 0; i < readable.size(); i++) {
            FoundSegment f = readable.get(i);
            boolean newest = i == readable.size() - 1;
            for (Stretch s : f.result().stretches()) {
                if (s.kind() == Kind.TORN_TAIL) {
                    notes.next("cut off the torn record at the end of " + f.name() + ", after keeping a copy of "
                            + "the segment in journal/damaged: it zero-fills the segment from byte "
                            + number(s.offset()) + " on and counts the " + number(s.bytes()) + " bytes written "
                            + "there as damaged bytes");
                } else if (s.kind() == Kind.DAMAGED_RECORDS || s.kind() == Kind.MISSING_VALUES) {
                    String skip = s.kind() == Kind.DAMAGED_RECORDS ? "skip " + number(s.bytes()) + " damaged bytes "
                            + "at byte " + number(s.offset()) + " of " + f.name() : "skip the missing sequence numbers "
                            + range(s.firstSeq(), s.values());
                    boolean needed = s.values() > 0 && SegmentFindings.neededBy(ledger, s.firstSeq() + s.values());
                    if (newest) {
                        notes.next(skip + " as it starts, keeping a copy of the segment in journal/damaged"
                                + (needed ? ": " + values(s.values()) + " counted as dropped (JOURNAL_DAMAGED) for "
                                        + "each target that still needs them" : "; no target needs what they held"));
                    } else if (needed) {
                        notes.next(skip + " when a target reads that far, keeping a copy of the segment in "
                                + "journal/damaged: " + values(s.values()) + " counted as dropped (JOURNAL_DAMAGED) "
                                + "for it");
                    } else {
                        notes.next("pass by the damage in " + f.name() + ": no target needs its values any more, "
                                + "and the segment is deleted");
                    }
                }
            }
        }
        if (ledger == null) {
            if (held > 0) {
                notes.next("start each target at the oldest value kept (sequence " + number(first) + "): every "
                        + "target takes the " + number(held) + " values again; the counters start from zero");
            }
        } else {
            long lost = lostAtEnd;
            if (lost > 0) {
                notes.problem("LOST_AT_END", "", "the ledger counted " + values(lost) + " as accepted (up to sequence "
                        + number(ledger.headSeq() - 1) + ") that the journal does not hold: its end, which had "
                        + "reached the disk, was lost", "nothing to repair: they are counted as dropped "
                                + "(JOURNAL_DAMAGED). The disk lost data it said was written: check it (dmesg, "
                                + "smartctl -a), and its write cache");
                notes.next("count the " + values(lost) + " the ledger counted but the journal lost as dropped "
                        + "(JOURNAL_DAMAGED), for each target that had not settled them");
            }
            long after = positions.afterHeadValues + positions.lostAfterHead;
            if (after > 0) {
                notes.next("count " + values(after) + " accepted after the ledger was written"
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
            String lastSync = syncMark < 0 ? "at an unknown time" : "at " + notes.time(micros(syncMark));
            String newest = newestValue < 0 ? "the journal holds no value" : "the newest value found was accepted at "
                    + notes.time(micros(newestValue));
            notes.add(Severity.WARNING, "UNCLEAN_STOP", ledger == null ? "" : copy.file(), -1, -1, -1,
                    "the gateway did not stop in order the last time (a power cut, a crash or a kill): the journal "
                            + "was last synced to disk " + lastSync + ", and " + newest,
                    "values accepted after the last sync may have been lost if the power was cut; values answered "
                            + "as durable (the REST POST, durable offers, sync=ON_ACCEPT) were not. If it was a power "
                            + "cut, check the gateway's power supply");
            notes.next("report an unclean stop, the " + ordinal(count) + " so far: last sync " + lastSync
                    + ", newest value " + (newestValue < 0 ? "none" : notes.time(micros(newestValue)))
                    + " (health DEGRADED, UNCLEAN_STOP, for " + UNCLEAN_SHOWN + ")");
        } else if (ledger != null) {
            notes.next("find that the gateway stopped in order the last time: nothing to report");
        }
        if (ledger != null) {
            List<String> reads = new ArrayList<>();
            for (LedgerTarget t : ledger.targets()) {
                long from = first >= 0 ? Math.max(t.seq(), first) : t.seq();
                String read = t.name() + " from " + number(from);
                if (t.deletedAtMillis() >= 0) {
                    read += " (its configuration was deleted at " + notes.time(Instant.ofEpochMilli(t.deletedAtMillis()))
                            + ": its values are kept until releaseDeletedTargetsAfterHours has passed, unless it is "
                            + "configured again)";
                }
                reads.add(read);
            }
            if (!reads.isEmpty()) {
                notes.next("let each target read again from its position: " + String.join(", ", reads));
            }
        }
    }

    /**
     * Values lost to damage after the ledger's head: a start counts them as accepted, as it counts every value after
     * the head, and routes them to every target, since their tags cannot be read.
     */
    static long lostAfter(List<FoundSegment> readable, long head) {
        long lost = 0;
        for (FoundSegment f : readable) {
            for (Stretch s : f.result().stretches()) {
                if ((s.kind() == Kind.DAMAGED_RECORDS || s.kind() == Kind.MISSING_VALUES) && s.values() > 0) {
                    lost += Math.max(0, s.firstSeq() + s.values() - Math.max(head, s.firstSeq()));
                }
            }
        }
        return lost;
    }
}
