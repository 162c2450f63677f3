package io.tagbridge.api.monitor;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** Metrics and health of the pipeline, computed on request. */
@ProviderType
public interface PipelineMonitor {

    MetricsSnapshot metrics();

    HealthReport health();

    /** The last minutes second by second, oldest first, for plots; empty where nothing samples them. */
    default List<MetricsSample> history() {
        return List.of();
    }
}
