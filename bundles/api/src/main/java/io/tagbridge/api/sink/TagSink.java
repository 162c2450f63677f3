package io.tagbridge.api.sink;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

import io.tagbridge.api.pipeline.Diagnosis;
import io.tagbridge.api.pipeline.ReceivedValue;

/**
 * A place that stores batches of tag values for one target. Register it as an OSGi service, one per target; the
 * engine starts writing to it when it appears and stops when it goes, leaving what it has not written in the
 * journal.
 *
 * <p>The service's properties are the target's settings, the same names and defaults as the writer
 * configuration's: {@value #NAME_PROPERTY} (required, unique among targets), {@code tagFilter},
 * {@code outageMode}, {@code batchSize}, {@code catchUpBatchSize}, {@code writeConnections},
 * {@code writeIntervalSeconds}, {@code retryMax}, {@code retryDelaySeconds},
 * {@code retryMaxDelaySeconds}, {@code outageProbeSeconds}, {@code refusedSettingsRetrySeconds},
 * {@code stopFlushSeconds}, {@code replayValuesPerSecond}, {@code liveFirst}, {@code liveFirstAfterSeconds},
 * {@code maxAgeHours} and {@code expiredValues}. A
 * sink whose own configuration is invalid registers
 * anyway with {@value #PROBLEMS_PROPERTY}: health then shows the target MISCONFIGURED with them.
 *
 * <p>The engine calls a sink from one thread at a time, its writer's thread. A sink that can write through several
 * connections at once opens {@linkplain #openLane() lanes}: the engine then splits a large batch by tag and writes
 * the parts at the same time, up to the target's {@code writeConnections}. With {@code liveFirst}, a lane of its
 * own, opened and used from a thread of its own, writes the values that come in while the backlog is old.
 */
@ConsumerType
public interface TagSink {

    /**
     * A second way into the destination, with its own connection, for a part of a batch written at the same time
     * as the rest. The engine gives lanes parts that share no tag with one another, each lane from one thread at a
     * time, and closes them when the writer is idle. Opening may wait for the connection; the engine does it
     * aside, never while a batch waits.
     */
    interface Lane extends AutoCloseable {

        /** As {@link TagSink#write}, through this lane's connection. */
        WriteResult write(List<ReceivedValue> batch, boolean mayBeStored) throws Exception;

        /** Gives back the lane's connection. */
        @Override
        void close();
    }

    /** Service property: the target's name, under which metrics, health and the journal know it. */
    String NAME_PROPERTY = "name";

    /** Service property (String[]): what is wrong with the sink's configuration; the target does not start. */
    String PROBLEMS_PROPERTY = "tagbridge.sink.problems";

    /**
     * Stores the batch and makes it visible as one unit: on return every value is stored, or found stored already,
     * or handed back in {@link WriteResult#toBackUp()}.
     *
     * @param mayBeStored whether some values may have been stored before (a retry, a replay, catch-up after a
     *                    restart): the sink must then not store any of them twice
     * @throws Exception when nothing of the batch is stored; {@link #classify} says what it means
     */
    WriteResult write(List<ReceivedValue> batch, boolean mayBeStored) throws Exception;

    /**
     * The target starts: open connections and check the destination before the first batch needs them. A failure
     * is left for the first write to meet.
     */
    void warmUp();

    /** Nothing to write for a while, or the target stops: give back connections and other borrowed resources. */
    void release();

    /**
     * Whether what {@link #write} stored survives a power cut only after {@link #makeDurable()}. The journal lets
     * values go only once they are durable.
     */
    boolean needsMakeDurable();

    /**
     * Makes everything stored so far durable (a checkpoint, a flush, a producer's acknowledgement).
     *
     * @return whether it did; the engine tries again later when not
     */
    boolean makeDurable();

    /**
     * Opens another lane into the destination, or returns null when the sink writes through one connection only.
     * A lane that cannot be opened now (the pool has no connection to spare) throws: the engine writes with the
     * lanes it has and tries again later.
     */
    default Lane openLane() throws Exception {
        return null;
    }

    /** What a failure {@link #write} threw means: whether to retry, isolate bad values or stop and wait. */
    SinkFailure classify(Throwable failure);

    /** Where the values go, for health and logs, such as {@code table TAG_VALUES}. */
    String destination();

    /**
     * Why the sink's service went away, for health once the target has stopped. A sink that knows (its
     * configuration was deleted, its connection pool went away) says so; asked after the service is unregistered.
     */
    default Diagnosis withdrawn() {
        return Diagnosis.of("SINK_WITHDRAWN", "the target's sink service went away: check that its bundle is active "
                + "and its configuration exists (scr:list)");
    }
}
