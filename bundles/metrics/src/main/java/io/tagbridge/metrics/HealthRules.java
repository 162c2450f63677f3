package io.tagbridge.metrics;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

import io.tagbridge.api.monitor.ComponentHealth;
import io.tagbridge.api.monitor.HealthReport;
import io.tagbridge.api.monitor.HealthStatus;
import io.tagbridge.api.pipeline.BufferStatus;
import io.tagbridge.api.pipeline.WriterState;

/**
 * The health verdict from what is known: DOWN when values do not reach the database or the buffer is about
 * to refuse them, DEGRADED when values are safe but something needs a look, UP otherwise.
 */
final class HealthRules {

    private final int bufferDegradedPercent;
    private final int bufferDownPercent;

    HealthRules(int bufferDegradedPercent, int bufferDownPercent) {
        this.bufferDegradedPercent = bufferDegradedPercent;
        this.bufferDownPercent = bufferDownPercent;
    }

    HealthReport evaluate(Map<String, WriterStatus> writers, BufferStatus buffer, RollingWindow.Totals recent,
            long backedUpTotal, Instant now) {
        Map<String, ComponentHealth> components = new LinkedHashMap<>();
        components.put("database", database(writers));
        components.put("buffer", buffer(buffer));
        components.put("writes", writes(writers, recent, backedUpTotal));
        HealthStatus overall = components.values().stream().map(ComponentHealth::status)
                .max(Comparator.naturalOrder()).orElse(HealthStatus.UP);
        return new HealthReport(overall, now, components);
    }

    private static ComponentHealth database(Map<String, WriterStatus> writers) {
        if (writers.isEmpty()) {
            return new ComponentHealth(HealthStatus.DOWN,
                    "no writer is running: create a configuration io.tagbridge.writer (see README, Configuration)",
                    Map.of());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        HealthStatus worst = HealthStatus.UP;
        String message = "reachable";
        for (Map.Entry<String, WriterStatus> e : writers.entrySet()) {
            WriterStatus w = e.getValue();
            boolean reachable = w.state() == WriterState.RUNNING;
            Map<String, Object> target = new LinkedHashMap<>();
            target.put("reachable", reachable);
            target.put("state", w.state().name());
            target.put("detail", w.detail());
            target.put("since", w.since().toString());
            details.put(e.getKey(), target);
            if (!reachable) {
                worst = HealthStatus.DOWN;
                message = "writer " + e.getKey() + ": " + w.detail();
            }
        }
        return new ComponentHealth(worst, message, details);
    }

    private ComponentHealth buffer(BufferStatus buffer) {
        if (buffer == null) {
            return new ComponentHealth(HealthStatus.DOWN,
                    "the buffer is not running: drivers cannot hand over values; check that bundle "
                            + "io.tagbridge.buffer is active", Map.of());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("depth", buffer.depth());
        details.put("capacity", buffer.capacity());
        details.put("fillPercent", Math.round(buffer.fillPercent() * 10) / 10.0);
        details.put("rejected", buffer.rejected());
        details.put("dropped", buffer.dropped());
        details.put("lastRejectReason", buffer.lastRejectReason());
        double fill = buffer.fillPercent();
        if (fill >= bufferDownPercent) {
            return new ComponentHealth(HealthStatus.DOWN, "the buffer is " + Math.round(fill)
                    + "% full and about to refuse values: the database does not keep up or is unreachable", details);
        }
        if (fill >= bufferDegradedPercent) {
            return new ComponentHealth(HealthStatus.DEGRADED, "the buffer is " + Math.round(fill)
                    + "% full: writes fall behind", details);
        }
        return new ComponentHealth(HealthStatus.UP, "the buffer has room", details);
    }

    private static ComponentHealth writes(Map<String, WriterStatus> writers, RollingWindow.Totals recent,
            long backedUpTotal) {
        Map<String, Object> details = new LinkedHashMap<>();
        Instant last = WriterStatus.latestSuccess(writers.values());
        details.put("lastSuccessfulWrite", last == null ? null : last.toString());
        details.put("recentFailures", recent.failures());
        details.put("valuesBackedUp", backedUpTotal);
        if (recent.failures() > 0) {
            return new ComponentHealth(HealthStatus.DEGRADED, recent.failures()
                    + " write attempts failed recently; see the log for the database's answer", details);
        }
        return new ComponentHealth(HealthStatus.UP, last == null ? "no batch written yet" : "writing", details);
    }
}
