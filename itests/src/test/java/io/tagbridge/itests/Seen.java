package io.tagbridge.itests;

import io.tagbridge.api.IngestResult;
import io.tagbridge.api.TagIngest;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.monitor.ComponentHealth;
import io.tagbridge.api.monitor.HealthReport;
import io.tagbridge.api.monitor.MetricsSnapshot;
import io.tagbridge.api.monitor.PipelineMonitor;
import io.tagbridge.api.pipeline.BufferStatus;
import io.tagbridge.testkit.Heard;

/**
 * Reads health and metrics as the tests see them, and tells {@link Heard} every reason code and every refusal and
 * drop reason in them: the build checks that each one the README documents was produced by some test.
 */
final class Seen {

    private Seen() {
    }

    static HealthReport health(PipelineMonitor monitor) {
        HealthReport report = monitor.health();
        Heard.reason(report.reason());
        report.components().values().stream().map(ComponentHealth::reason).forEach(Heard::reason);
        report.targets().values().stream().map(ComponentHealth::reason).forEach(Heard::reason);
        return report;
    }

    /** The buffer's status as the buffer reports it: its reason is the one health shows for the buffer. */
    static BufferStatus buffer(BufferStatus status) {
        Heard.reason(status.diagnosis().reason());
        return status;
    }

    /** An ingest answer: its refusal reason, if any. */
    static IngestResult result(IngestResult result) {
        if (result.reasonCode() != null) {
            Heard.refusal(result.reasonCode().name());
        }
        return result;
    }

    static IngestResult offer(TagIngest ingest, java.util.List<TagValue> values) {
        return result(ingest.offer(values));
    }

    static MetricsSnapshot metrics(PipelineMonitor monitor) {
        MetricsSnapshot snapshot = monitor.metrics();
        snapshot.totals().refused().forEach((reason, count) -> {
            if (count > 0) {
                Heard.refusal(reason.name());
            }
        });
        snapshot.totals().dropped().forEach((reason, count) -> {
            if (count > 0) {
                Heard.drop(reason.name());
            }
        });
        snapshot.targets().values().forEach(target -> target.dropped().forEach((reason, count) -> {
            if (count > 0) {
                Heard.drop(reason.name());
            }
        }));
        return snapshot;
    }
}
