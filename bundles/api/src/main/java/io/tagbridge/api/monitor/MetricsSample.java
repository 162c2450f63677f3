package io.tagbridge.api.monitor;

import java.time.Instant;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One second of the pipeline, for plots: what happened in that second, and where the backlog stood at its end.
 *
 * @param at                  the end of the second
 * @param written             values committed in it, over all targets
 * @param refused             values refused at the door in it
 * @param dropped             values given up in it, over all targets
 * @param writeLatencyP50Ms   median time a batch committed in it took; 0 without batches
 * @param writeLatencyP99Ms   99th percentile of the same
 * @param sourceToCommitP99Ms 99th percentile of the time from source to commit of its values; 0 without values
 * @param writtenByTarget     values committed in it, per target
 * @param backlogByTarget     values not settled at its end, per target
 */
@ProviderType
public record MetricsSample(Instant at, long written, long refused, long dropped, double writeLatencyP50Ms,
        double writeLatencyP99Ms, double sourceToCommitP99Ms, Map<String, Long> writtenByTarget,
        Map<String, Long> backlogByTarget) {

    public MetricsSample {
        writtenByTarget = Map.copyOf(writtenByTarget);
        backlogByTarget = Map.copyOf(backlogByTarget);
    }
}
