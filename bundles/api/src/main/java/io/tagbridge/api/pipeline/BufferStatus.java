package io.tagbridge.api.pipeline;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

import io.tagbridge.api.RefusalReason;

/**
 * A snapshot of the buffer: its door, its fill and each target's backlog. At the door, {@code offered = accepted +
 * refused + filtered}. With the journal on, the counters go on across restarts.
 *
 * @param journal      whether the values are in the disk journal (else in memory)
 * @param depth        values held: from the oldest one a target still needs to the newest
 * @param heldBytes    bytes the journal's segments take (on disk, or on the heap)
 * @param fillPercent  how full the buffer is, 0 to 100, against its maximum size or capacity
 * @param offered      values offered by drivers and producers
 * @param accepted     values taken
 * @param refused      values refused, by reason (every reason present, zero when none)
 * @param damagedBytes journal bytes found damaged and skipped
 * @param lastRefusal  why values were last refused or given up, empty if never
 * @param targets      each target's backlog and counters, by name
 * @param diagnosis    the buffer's own state: a reason code ({@code ACCEPTING}, {@code SPILLING}, {@code FULL},
 *                     {@code JOURNAL_FORMAT_UNKNOWN} ...) and advice
 * @param uncleanStops starts that found the stop before them unclean, since the journal began (since 2.1)
 * @param uncleanStop  what this start found of the stop before it, when that one was unclean; else null (since
 *                     2.1)
 * @param clockSuspect values accepted since this start whose source time the clock guard found suspect (before
 *                     the clock floor, or too far ahead) and stored at their received time or as they came, as
 *                     its policy says (since 2.2)
 * @param filtered     values taken at the door but not stored, because they changed less than their tag's
 *                     deadband (since 2.2)
 */
@ProviderType
public record BufferStatus(boolean journal, long depth, long heldBytes, double fillPercent, long offered,
        long accepted, Map<RefusalReason, Long> refused, long damagedBytes, String lastRefusal,
        Map<String, TargetBacklog> targets, Diagnosis diagnosis, long uncleanStops, UncleanStop uncleanStop,
        long clockSuspect, long filtered) {

    public BufferStatus {
        refused = Map.copyOf(refused);
        targets = Map.copyOf(targets);
    }

    /** A status of 2.1, which had no clock guard. */
    public BufferStatus(boolean journal, long depth, long heldBytes, double fillPercent, long offered,
            long accepted, Map<RefusalReason, Long> refused, long damagedBytes, String lastRefusal,
            Map<String, TargetBacklog> targets, Diagnosis diagnosis, long uncleanStops, UncleanStop uncleanStop) {
        this(journal, depth, heldBytes, fillPercent, offered, accepted, refused, damagedBytes, lastRefusal, targets,
                diagnosis, uncleanStops, uncleanStop, 0, 0);
    }

    /** A status of 2.0, which knew nothing of unclean stops. */
    public BufferStatus(boolean journal, long depth, long heldBytes, double fillPercent, long offered,
            long accepted, Map<RefusalReason, Long> refused, long damagedBytes, String lastRefusal,
            Map<String, TargetBacklog> targets, Diagnosis diagnosis) {
        this(journal, depth, heldBytes, fillPercent, offered, accepted, refused, damagedBytes, lastRefusal, targets,
                diagnosis, 0, null, 0, 0);
    }

    /** All refused values, whatever the reason. */
    public long refusedTotal() {
        return refused.values().stream().mapToLong(Long::longValue).sum();
    }
}
