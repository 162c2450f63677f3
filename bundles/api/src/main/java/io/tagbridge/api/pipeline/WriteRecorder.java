package io.tagbridge.api.pipeline;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where writers report what they do, for metrics, health and load tests. Writers report to every recorder
 * registered as a service (a whiteboard). Calls must return quickly: writers make them on their write path.
 * Each writer names itself by its target (the name of its configuration instance).
 *
 * <p>Writers call the methods that carry the values; by default these report only the count, so a recorder
 * that needs no more than counts implements the count methods alone.
 */
@ConsumerType
public interface WriteRecorder {

    /** A batch was committed. */
    void written(String target, int values, long latencyNanos);

    /**
     * A batch was committed; called at once after the commit, so the time of the call is the commit time.
     * The list is the writer's: read it during the call, do not keep it.
     */
    default void written(String target, List<ReceivedValue> values, long latencyNanos) {
        written(target, values.size(), latencyNanos);
    }

    /** One attempt to write a batch failed; it may be retried. */
    void failed(String target, int values, long latencyNanos, String reason);

    /** A batch was saved to a backup file instead of the database. */
    void backedUp(String target, int values, String reason);

    /**
     * A batch was saved to a backup file instead of the database. The list is the writer's: read it during
     * the call, do not keep it.
     */
    default void backedUp(String target, List<ReceivedValue> values, String reason) {
        backedUp(target, values.size(), reason);
    }

    /** The writer's state changed; {@code detail} says why, in words an operator can act on. */
    void state(String target, WriterState state, String detail);
}
