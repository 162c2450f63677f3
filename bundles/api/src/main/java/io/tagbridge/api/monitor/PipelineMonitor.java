package io.tagbridge.api.monitor;

import org.osgi.annotation.versioning.ProviderType;

/** Metrics and health of the pipeline, computed on request. */
@ProviderType
public interface PipelineMonitor {

    MetricsSnapshot metrics();

    HealthReport health();
}
