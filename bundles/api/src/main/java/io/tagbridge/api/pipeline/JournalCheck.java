package io.tagbridge.api.pipeline;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Looks at a buffer's journal on disk, as an operator does after a power cut: its segments and records, the damage
 * a start would skip or cut off, the ledger, each target's position and backlog, and what the next start would do.
 *
 * <p>The check only reads. It writes, moves, repairs and locks nothing, so it may run next to a gateway that uses
 * the journal; it needs no other service, so it runs where the pipeline does not.
 *
 * @since 2.1
 */
@ProviderType
public interface JournalCheck {

    /**
     * Checks the journal in a directory. Never throws for what it finds: a directory that is missing or cannot be
     * read is a finding.
     *
     * @param directory the journal's directory ({@code <data>/journal} unless the buffer is configured otherwise)
     * @param inUse     whether a running gateway holds the journal: the end of its newest segment may be being
     *                  written, and is reported as in use, not as damage, and nothing is said of the next start
     */
    Report check(Path directory, boolean inUse);

    /** How much a finding matters. */
    enum Severity {
        /** Values were or will be lost, or cannot be forwarded: something to act on. */
        PROBLEM,
        /** Worth knowing; nothing was lost that a start does not account for. */
        WARNING,
        /** The end of the journal is being written by the running gateway. */
        IN_USE,
        /** For the record. */
        NOTE
    }

    /**
     * What the check found.
     *
     * @param directory the journal's directory, as checked
     * @param inUse     whether it was checked as in use by a running gateway
     * @param segments  the segment files in it, oldest first, readable or not
     * @param ledger    the ledger the next start would use; null when neither copy can be read
     * @param targets   the targets the ledger knows, with their positions and backlogs
     * @param findings  what is wrong or worth knowing, most serious first
     * @param nextStart what the next start on this journal would do, in order, in words for an operator; empty when
     *                  the journal is in use
     */
    @ProviderType
    record Report(Path directory, boolean inUse, List<Segment> segments, Ledger ledger, List<Target> targets,
            List<Finding> findings, List<String> nextStart) {

        public Report {
            segments = List.copyOf(segments);
            targets = List.copyOf(targets);
            findings = List.copyOf(findings);
            nextStart = List.copyOf(nextStart);
        }

        /** True when nothing is a {@link Severity#PROBLEM}: the journal is sound, or only in use. */
        public boolean sound() {
            return findings.stream().noneMatch(f -> f.severity() == Severity.PROBLEM);
        }
    }

    /**
     * One segment file.
     *
     * @param file        its name
     * @param format      its format version; 0 when its header cannot be read
     * @param baseSeq     the sequence number of its first value, as its header says
     * @param bytes       the file's size
     * @param dataBytes   the bytes its good records take, header included, up to where its data ends
     * @param created     when it was created; null when unknown
     * @param syncMark    when its data was last known to be on disk (the sync mark, format 2); null when it has none
     * @param records     its good records
     * @param values      the values in them
     * @param firstSeq    the sequence number of its first good value
     * @param nextSeq     the sequence number after its last good value
     * @param newestValue when its newest good value was accepted; null when it has none
     * @param readable    whether its header can be read
     */
    @ProviderType
    record Segment(String file, int format, long baseSeq, long bytes, long dataBytes, Instant created,
            Instant syncMark, long records, long values, long firstSeq, long nextSeq, Instant newestValue,
            boolean readable) {
    }

    /**
     * The ledger: the journal's counters and each target's position, as last written.
     *
     * @param file         the copy read: {@code ledger.properties}, or {@code ledger.previous.properties} when the
     *                     newest cannot be read
     * @param written      when that copy was written
     * @param head         the journal's next sequence number when it was written
     * @param offered      values offered at the door up to then
     * @param accepted     values accepted
     * @param refused      values refused, by reason (only reasons with values)
     * @param damagedBytes journal bytes found damaged so far
     * @param cleanStop    whether it was written by a stop in order; false while a gateway runs, and after a power
     *                     cut, a crash or a kill
     * @param uncleanStops starts that found the stop before them unclean, so far
     */
    @ProviderType
    record Ledger(String file, Instant written, long head, long offered, long accepted, Map<String, Long> refused,
            long damagedBytes, boolean cleanStop, long uncleanStops) {

        public Ledger {
            refused = Map.copyOf(refused);
        }
    }

    /**
     * One target as the ledger keeps it, and its backlog in this journal.
     *
     * @param name        its name
     * @param tagFilter   the globs of the tags it takes; empty: every tag
     * @param position    its durable position: it reads again from here after a start
     * @param afterLedger values accepted after the ledger was written that it takes (and values lost to damage
     *                    there, whose tags cannot be read): a start routes them to it
     * @param backlog     its counters as the next start takes them up: the ledger's, kept at its position, with
     *                    {@code afterLedger} added to {@code routed}, and values the ledger counted that the journal
     *                    lost at its end added to {@code dropped}; {@code backlog} is what it has not settled for
     *                    good, {@code routed - written - alreadyStored - backedUp - dropped}. While the journal is
     *                    in use, the ledger's as it stands
     */
    @ProviderType
    record Target(String name, List<String> tagFilter, long position, long afterLedger, TargetBacklog backlog) {

        public Target {
            tagFilter = List.copyOf(tagFilter);
        }
    }

    /**
     * Something the check found.
     *
     * @param severity how much it matters
     * @param code     a code for scripts: {@code TORN_TAIL}, {@code DAMAGED_RECORDS}, {@code MISSING_VALUES},
     *                 {@code UNREADABLE_SEGMENT}, {@code SEGMENTS_SET_ASIDE}, {@code DAMAGED_COPIES},
     *                 {@code MISSING_SEGMENTS}, {@code LOST_AT_END}, {@code NO_LEDGER}, {@code LEDGER_PREVIOUS},
     *                 {@code UNCLEAN_STOP}, {@code IN_USE}, {@code SEGMENT_GONE}, {@code NO_JOURNAL},
     *                 {@code UNREADABLE_DIRECTORY}, {@code LIVE_AHEAD}; more may come
     * @param file     the file it concerns, relative to the journal's directory; empty when none
     * @param offset   where in the file; -1 when it does not apply
     * @param bytes    the bytes concerned; -1 when it does not apply
     * @param values   the values lost or concerned; -1 when unknown or it does not apply
     * @param what     what was found and what it means
     * @param advice   what to do
     */
    @ProviderType
    record Finding(Severity severity, String code, String file, long offset, long bytes, long values, String what,
            String advice) {
    }
}
