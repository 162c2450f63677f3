package io.tagbridge.api.pipeline;

import java.time.Instant;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What became of the values one target takes, counted since the journal began (across restarts when the journal
 * is on). {@code routed = written + alreadyStored + backedUp + dropped + backlog}.
 *
 * @param routed        values accepted that the target takes
 * @param written       rows it added
 * @param alreadyStored values whose row its table held already
 * @param backedUp      values saved to backup files for it
 * @param dropped       values given up for it, by reason
 * @param backlog       values it has not settled yet
 * @param backlogBytes  the journal bytes from its oldest unsettled value on
 * @param oldestUnsent  when its oldest unsettled value was accepted; null when it has none
 * @param deletedAt     when its configuration was deleted; null while it exists
 */
@ProviderType
public record TargetBacklog(long routed, long written, long alreadyStored, long backedUp, Map<DropReason, Long> dropped,
        long backlog, long backlogBytes, Instant oldestUnsent, Instant deletedAt) {

    public TargetBacklog {
        dropped = Map.copyOf(dropped);
    }

    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }
}
