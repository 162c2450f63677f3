package io.tagbridge.metrics;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Map.Entry;

import io.tagbridge.api.monitor.ComponentHealth;
import io.tagbridge.api.monitor.HealthReport;
import io.tagbridge.api.monitor.HealthStatus;
import io.tagbridge.api.pipeline.BackupStatus;
import io.tagbridge.api.pipeline.BufferStatus;
import io.tagbridge.api.pipeline.Diagnosis;
import io.tagbridge.api.pipeline.TargetBacklog;
import io.tagbridge.api.pipeline.TargetState;
import io.tagbridge.api.pipeline.UncleanStop;

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

    /**
     * @param checks what the parts outside the pipeline say ({@link io.tagbridge.api.monitor.HealthCheck}), by
     *               name: one that is DOWN makes the gateway DOWN whatever the targets do, since it stands for
     *               something the pipeline cannot be trusted without (its configuration, its key)
     */
    HealthReport evaluate(Map<String, TargetRecord> records, BufferStatus buffer, BackupStatus backup,
            Map<String, ComponentHealth> checks, Instant now) {
        Map<String, ComponentHealth> targets = new LinkedHashMap<>();
        records.forEach((name, record) -> targets.put(name, target(record,
                buffer == null ? null : buffer.targets().get(name), now)));
        Map<String, ComponentHealth> components = new LinkedHashMap<>();
        components.put("buffer", buffer(buffer));
        components.put("backup", backup(backup));
        checks.forEach((name, verdict) -> components.putIfAbsent(name, verdict));
        Entry<String, ComponentHealth> worstCheck = worst(checks);
        if (worstCheck != null && worstCheck.getValue().status() == HealthStatus.DOWN) {
            return report(HealthStatus.DOWN, worstCheck, now, components, targets);
        }

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
        if (worstCheck != null && worstCheck.getValue().status() != HealthStatus.UP) {
            return report(HealthStatus.DEGRADED, worstCheck, now, components, targets);
        }
        if (components.get("backup").status() != HealthStatus.UP) {
            return report(HealthStatus.DEGRADED, Map.entry("backup", components.get("backup")), now, components,
                    targets);
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

    private static ComponentHealth target(TargetRecord record, TargetBacklog counters, Instant now) {
        TargetRecord.State s = record.state();
        HealthStatus status = switch (s.state()) {
            // writing, but rows of its last batch went to backup files: an operator should look at them
            case WRITING -> "BAD_ROWS".equals(s.why().reason()) ? HealthStatus.DEGRADED : HealthStatus.UP;
            case RETRYING -> HealthStatus.DEGRADED;
            default -> HealthStatus.DOWN;
        };
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("since", s.since().toString());
        Instant last = record.lastSuccessfulWrite();
        details.put("lastSuccessfulWrite", last == null ? null : last.toString());
        details.put("recentFailures", record.recent(now).failures());
        if (counters != null) {
            details.put("backlog", counters.backlog());
            details.put("oldestUnsent", counters.oldestUnsent() == null ? null : counters.oldestUnsent().toString());
        }
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
        details.put("journal", buffer.journal());
        details.put("depth", buffer.depth());
        details.put("fillPercent", Math.round(buffer.fillPercent() * 10) / 10.0);
        details.put("journalBytes", buffer.heldBytes());
        details.put("damagedBytes", buffer.damagedBytes());
        details.put("refused", buffer.refusedTotal());
        details.put("lastRefusal", buffer.lastRefusal());
        details.put("uncleanStops", buffer.uncleanStops());
        details.put("valuesClockSuspect", buffer.clockSuspect());
        details.put("valuesFiltered", buffer.filtered());
        UncleanStop unclean = buffer.uncleanStop();
        if (unclean != null) {
            details.put("lastSync", unclean.lastSync() == null ? null : unclean.lastSync().toString());
            details.put("newestFound", unclean.newestFound() == null ? null : unclean.newestFound().toString());
        }
        double fill = buffer.fillPercent();
        Diagnosis own = buffer.diagnosis();
        if (own.reason().equals("JOURNAL_UNAVAILABLE")) {
            return new ComponentHealth(HealthStatus.DOWN, "REFUSING", own.reason(), own.advice(), own.error(),
                    details);
        }
        if (own.reason().equals("JOURNAL_FORMAT_UNKNOWN")) {
            return new ComponentHealth(HealthStatus.DOWN, "UNREADABLE_SEGMENTS", own.reason(), own.advice(),
                    own.error(), details);
        }
        if (own.reason().equals("THREAD_DIED")) {
            return new ComponentHealth(HealthStatus.DOWN, "RESTARTING", own.reason(), own.advice(), own.error(),
                    details);
        }
        if (fill >= bufferDownPercent) {
            return new ComponentHealth(HealthStatus.DOWN, "FULL", "BUFFER_NEARLY_FULL", "the buffer is "
                    + Math.round(fill) + "% full and about to refuse values: the database does not keep up or is "
                    + "unreachable" + (buffer.journal() ? ", and spilling to backup files does not free enough room ("
                    + own.advice() + ")" : ""), own.error(), details);
        }
        if (DEGRADING.contains(own.reason())) {
            return new ComponentHealth(HealthStatus.DEGRADED, "ACCEPTING", own.reason(), own.advice(), own.error(),
                    details);
        }
        if (fill >= bufferDegradedPercent) {
            return new ComponentHealth(HealthStatus.DEGRADED, "FILLING", "BUFFER_FILLING", "the buffer is "
                    + Math.round(fill) + "% full: writes fall behind", "", details);
        }
        return new ComponentHealth(HealthStatus.UP, "ACCEPTING", own.reason(), own.advice(), "", details);
    }

    /**
     * The backup folder: DEGRADED when backups are refused (full, disk low, failing) or files are quarantined,
     * since values then wait elsewhere or need an operator; UP otherwise.
     */
    private static ComponentHealth backup(BackupStatus backup) {
        if (backup == null) {
            return new ComponentHealth(HealthStatus.DEGRADED, "STOPPED", "BACKUP_NOT_RUNNING", "the backup is not "
                    + "running: bad rows and outages cannot go to files; check that bundle io.tagbridge.backup is "
                    + "active", "", Map.of());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("pendingFiles", backup.pendingFiles());
        details.put("pendingValues", backup.pendingValues());
        details.put("quarantinedFiles", backup.quarantinedFiles());
        details.put("quarantinedValues", backup.quarantinedValues());
        details.put("bytes", backup.bytes());
        details.put("maxBytes", backup.maxBytes());
        details.put("freeBytes", backup.freeBytes());
        details.put("expiredValues", backup.expiredValues());
        details.put("archivedFiles", backup.archivedFiles());
        Diagnosis why = backup.diagnosis();
        return switch (why.reason()) {
            case "BACKUP_OK" -> new ComponentHealth(HealthStatus.UP, backup.pendingFiles() > 0 ? "REPLAYING" : "IDLE",
                    why.reason(), why.advice(), why.error(), details);
            case "QUARANTINED" -> new ComponentHealth(HealthStatus.DEGRADED, "QUARANTINED", why.reason(),
                    why.advice(), why.error(), details);
            default -> new ComponentHealth(HealthStatus.DEGRADED, "REFUSING", why.reason(), why.advice(), why.error(),
                    details);
        };
    }

    /** What the buffer may say of itself that needs an operator's look, though values are safe. */
    private static final java.util.Set<String> DEGRADING = java.util.Set.of("SPILLING", "SPILL_FAILING",
            "JOURNAL_DAMAGED", "JOURNAL_OFF", "UNCLEAN_STOP", "CLOCK_SUSPECT", "EXPIRED");
}
