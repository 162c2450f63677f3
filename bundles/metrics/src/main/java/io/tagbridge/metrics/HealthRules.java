package io.tagbridge.metrics;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Map.Entry;

import io.tagbridge.api.monitor.ComponentHealth;
import io.tagbridge.api.monitor.HealthReport;
import io.tagbridge.api.monitor.HealthStatus;
import io.tagbridge.api.pipeline.BufferStatus;
import io.tagbridge.api.pipeline.TargetState;

/**
 * The health verdict, by the rules the README states:
 * <ul>
 * <li>DOWN when no target is WRITING or RETRYING, or the buffer is at or above its down mark;
 * <li>DEGRADED when a target is RETRYING, or in another state while one still writes, or the buffer is at or
 * above its degraded mark;
 * <li>UP otherwise.
 * </ul>
 * A target on its own is UP while WRITING, DEGRADED while RETRYING and DOWN in any other state.
 */
final class HealthRules {

    private final int bufferDegradedPercent;
    private final int bufferDownPercent;

    HealthRules(int bufferDegradedPercent, int bufferDownPercent) {
        this.bufferDegradedPercent = bufferDegradedPercent;
        this.bufferDownPercent = bufferDownPercent;
    }

    HealthReport evaluate(Map<String, TargetRecord> records, BufferStatus buffer, Instant now) {
        Map<String, ComponentHealth> targets = new LinkedHashMap<>();
        records.forEach((name, record) -> targets.put(name, target(record, now)));
        Map<String, ComponentHealth> components = new LinkedHashMap<>();
        components.put("buffer", buffer(buffer));

        boolean anyFlowing = records.values().stream().map(r -> r.state().state())
                .anyMatch(s -> s == TargetState.WRITING || s == TargetState.RETRYING);
        Entry<String, ComponentHealth> worstTarget = worst(targets);
        ComponentHealth bufferHealth = components.get("buffer");
        if (targets.isEmpty()) {
            return report(HealthStatus.DOWN, "NO_TARGET", "no target is configured: create a configuration "
                    + "io.tagbridge.writer in the web console or in etc/ (see README, Configuration)", now,
                    components, targets);
        }
        if (!anyFlowing) {
            return report(HealthStatus.DOWN, worstTarget, now, components, targets);
        }
        if (bufferHealth.status() == HealthStatus.DOWN) {
            return report(HealthStatus.DOWN, Map.entry("buffer", bufferHealth), now, components, targets);
        }
        if (worstTarget.getValue().status() != HealthStatus.UP) {
            return report(HealthStatus.DEGRADED, worstTarget, now, components, targets);
        }
        if (bufferHealth.status() == HealthStatus.DEGRADED) {
            return report(HealthStatus.DEGRADED, Map.entry("buffer", bufferHealth), now, components, targets);
        }
        return report(HealthStatus.UP, "WRITING", "every target writes", now, components, targets);
    }

    private static Entry<String, ComponentHealth> worst(Map<String, ComponentHealth> targets) {
        return targets.entrySet().stream().max(Comparator.comparing(e -> e.getValue().status()))
                .orElse(null);
    }

    private static HealthReport report(HealthStatus status, Entry<String, ComponentHealth> decidedBy, Instant now,
            Map<String, ComponentHealth> components, Map<String, ComponentHealth> targets) {
        String part = components.containsKey(decidedBy.getKey()) ? decidedBy.getKey() : "target " + decidedBy.getKey();
        return report(status, decidedBy.getValue().reason(), part + ": " + decidedBy.getValue().advice(), now,
                components, targets);
    }

    private static HealthReport report(HealthStatus status, String reason, String advice, Instant now,
            Map<String, ComponentHealth> components, Map<String, ComponentHealth> targets) {
        return new HealthReport(status, reason, advice, now, components, targets);
    }

    private static ComponentHealth target(TargetRecord record, Instant now) {
        TargetRecord.State s = record.state();
        HealthStatus status = switch (s.state()) {
            case WRITING -> HealthStatus.UP;
            case RETRYING -> HealthStatus.DEGRADED;
            default -> HealthStatus.DOWN;
        };
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("since", s.since().toString());
        Instant last = record.lastSuccessfulWrite();
        details.put("lastSuccessfulWrite", last == null ? null : last.toString());
        details.put("recentFailures", record.recent(now).failures());
        return new ComponentHealth(status, s.state().name(), s.why().reason(), s.why().advice(), s.why().error(),
                details);
    }

    private ComponentHealth buffer(BufferStatus buffer) {
        if (buffer == null) {
            return new ComponentHealth(HealthStatus.DOWN, "STOPPED", "BUFFER_NOT_RUNNING", "the buffer is not "
                    + "running: drivers cannot hand over values; check that bundle io.tagbridge.buffer is active", "",
                    Map.of());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("depth", buffer.depth());
        details.put("capacity", buffer.capacity());
        details.put("fillPercent", Math.round(buffer.fillPercent() * 10) / 10.0);
        details.put("refused", buffer.refusedTotal());
        details.put("dropped", buffer.dropped());
        details.put("lastRefusal", buffer.lastRefusal());
        double fill = buffer.fillPercent();
        if (fill >= bufferDownPercent) {
            return new ComponentHealth(HealthStatus.DOWN, "FULL", "BUFFER_NEARLY_FULL", "the buffer is "
                    + Math.round(fill) + "% full and about to refuse values: the database does not keep up or is "
                    + "unreachable", "", details);
        }
        if (fill >= bufferDegradedPercent) {
            return new ComponentHealth(HealthStatus.DEGRADED, "FILLING", "BUFFER_FILLING", "the buffer is "
                    + Math.round(fill) + "% full: writes fall behind", "", details);
        }
        return new ComponentHealth(HealthStatus.UP, "ACCEPTING", "HAS_ROOM", "the buffer has room", "", details);
    }
}
