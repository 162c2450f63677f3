package io.tagbridge.api.pipeline;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where writers report what they do, for metrics and health. Calls must return quickly: writers make them
 * on their write path. Each writer names itself by its target (the name of its configuration instance).
 */
@ConsumerType
public interface WriteRecorder {

    /** A batch was committed. */
    void written(String target, int values, long latencyNanos);

    /** One attempt to write a batch failed; it may be retried. */
    void failed(String target, int values, long latencyNanos, String reason);

    /** A batch was saved to a backup file instead of the database. */
    void backedUp(String target, int values, String reason);

    /** The writer's state changed; {@code detail} says why, in words an operator can act on. */
    void state(String target, WriterState state, String detail);
}
