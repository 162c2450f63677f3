package io.tagbridge.api.pipeline;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where writers report what they do, for metrics, health and load tests. Writers report to every recorder
 * registered as a service (a whiteboard). Calls must return quickly: writers make them on their write path.
 * Each writer names itself by its target, the {@code name} of its configuration. A recorder implements what it
 * needs; the others do nothing.
 *
 * <p>Lists passed in are the writer's: read them during the call, do not keep them.
 */
@ConsumerType
public interface WriteRecorder {

    /**
     * A batch was committed; called at once after the commit, so the time of the call is the commit time.
     *
     * @param values        every value of the batch
     * @param alreadyStored how many of them the table held already (a retry or replay of a committed batch), so
     *                      that {@code values.size() - alreadyStored} rows were added
     * @param latencyNanos  from the start of the write to its commit
     */
    default void written(String target, List<ReceivedValue> values, int alreadyStored, long latencyNanos) {
    }

    /** One attempt to write a batch failed; it may be retried. */
    default void failed(String target, int values, long latencyNanos, Diagnosis why) {
    }

    /**
     * Values of a committed batch met another value stored for their tag and source time. The writer's conflict
     * policy decided what became of them; they are also counted where they ended up (already stored, written or
     * backed up).
     */
    default void conflicting(String target, int values) {
    }

    /**
     * A chunk of a backup file was replayed: its values are in the table now ({@code written} added,
     * {@code alreadyStored} found there) or were set aside in quarantine.
     */
    default void replayed(String target, int written, int alreadyStored, int quarantined) {
    }

    /** Values were saved to a backup file instead of the database. */
    default void backedUp(String target, List<ReceivedValue> values, String reason) {
    }

    /** The target's state changed, or its diagnosis did. */
    default void state(String target, TargetState state, Diagnosis why) {
    }

    /** The target is gone: its configuration was deleted. Forget it. */
    default void removed(String target) {
    }
}
