package io.tagbridge.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tagbridge.api.RefusalReason;
import io.tagbridge.api.monitor.ComponentHealth;
import io.tagbridge.api.monitor.HealthReport;
import io.tagbridge.api.monitor.MetricsSample;
import io.tagbridge.api.monitor.MetricsSnapshot;
import io.tagbridge.api.pipeline.BackupFile;
import io.tagbridge.api.pipeline.DropReason;

/**
 * The JSON shapes of the metrics and health endpoints, field by field, so they stay stable: the seed's seven
 * metrics first, then the counters in total, then a section per target.
 */
final class MonitorJson {

    private final ObjectMapper mapper;

    MonitorJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ObjectNode metrics(MetricsSnapshot m) {
        ObjectNode json = mapper.createObjectNode();
        json.put("windowSeconds", m.windowSeconds());
        json.put("averageBatchSize", round(m.averageBatchSize()));
        json.put("averageWriteLatencyMs", round(m.averageWriteLatencyMs()));
        json.put("throughputPerSecond", round(m.throughputPerSecond()));
        json.put("writeSuccessCount", m.writeSuccessCount());
        json.put("writeFailureCount", m.writeFailureCount());
        json.put("successRatePercent", round(m.successRatePercent()));
        percentiles(json, m.percentiles());
        MetricsSnapshot.Totals t = m.totals();
        json.put("valuesOffered", t.valuesOffered());
        json.put("valuesAccepted", t.valuesAccepted());
        json.put("valuesFiltered", t.valuesFiltered());
        json.put("valuesRefused", t.valuesRefused());
        ObjectNode refused = json.putObject("refused");
        for (RefusalReason reason : RefusalReason.values()) {
            refused.put(reason.name(), t.refused().getOrDefault(reason, 0L));
        }
        json.put("valuesWritten", t.valuesWritten());
        json.put("valuesAlreadyStored", t.valuesAlreadyStored());
        json.put("valuesBackedUp", t.valuesBackedUp());
        json.put("valuesDropped", t.valuesDropped());
        ObjectNode dropped = json.putObject("dropped");
        for (DropReason reason : DropReason.values()) {
            dropped.put(reason.name(), t.dropped().getOrDefault(reason, 0L));
        }
        json.put("valuesConflicting", t.valuesConflicting());
        json.put("valuesReplayed", t.valuesReplayed());
        json.put("valuesQuarantined", t.valuesQuarantined());
        json.put("backlog", t.backlog());
        json.put("journal", t.journal());
        json.put("journalBytes", t.journalBytes());
        json.put("journalDamagedBytes", t.journalDamagedBytes());
        json.put("uncleanStops", t.uncleanStops());
        json.put("valuesClockSuspect", t.valuesClockSuspect());
        json.put("dataDiskFreeBytes", t.dataDiskFreeBytes());
        json.put("backupExpiredValues", t.backupExpiredValues());
        json.put("backupArchivedFiles", t.backupArchivedFiles());
        json.put("bufferDepth", t.bufferDepth());
        json.put("bufferFillPercent", round(t.bufferFillPercent()));
        json.put("backupPendingFiles", t.backupPendingFiles());
        json.put("backupPendingValues", t.backupPendingValues());
        json.put("backupQuarantinedFiles", t.backupQuarantinedFiles());
        json.put("backupBytes", t.backupBytes());
        json.put("lastSuccessfulWrite", text(t.lastSuccessfulWrite()));
        ObjectNode targets = json.putObject("targets");
        m.targets().forEach((name, target) -> targets.set(name, target(target)));
        return json;
    }

    private ObjectNode target(MetricsSnapshot.Target t) {
        ObjectNode json = mapper.createObjectNode();
        json.put("state", t.state().name());
        json.put("valuesWritten", t.valuesWritten());
        json.put("valuesAlreadyStored", t.valuesAlreadyStored());
        json.put("valuesBackedUp", t.valuesBackedUp());
        json.put("valuesDropped", t.valuesDropped());
        ObjectNode dropped = json.putObject("dropped");
        t.dropped().forEach((reason, n) -> dropped.put(reason.name(), n));
        json.put("valuesConflicting", t.valuesConflicting());
        json.put("valuesReplayed", t.valuesReplayed());
        json.put("valuesQuarantined", t.valuesQuarantined());
        json.put("backlog", t.backlog());
        json.put("backlogBytes", t.backlogBytes());
        json.put("oldestUnsentAgeSeconds", round(t.oldestUnsentAgeSeconds()));
        json.put("writeSuccessCount", t.writeSuccessCount());
        json.put("writeFailureCount", t.writeFailureCount());
        json.put("averageWriteLatencyMs", round(t.averageWriteLatencyMs()));
        percentiles(json, t.percentiles());
        json.put("throughputPerSecond", round(t.throughputPerSecond()));
        json.put("lastSuccessfulWrite", text(t.lastSuccessfulWrite()));
        return json;
    }

    /**
     * Column by column, as plotting libraries take them: {@code seconds} (epoch seconds) and one array per figure,
     * with a section per target; a target that appeared later has nulls before.
     */
    ObjectNode history(List<MetricsSample> samples) {
        ObjectNode json = mapper.createObjectNode();
        ArrayNode seconds = json.putArray("seconds");
        ArrayNode written = json.putArray("written");
        ArrayNode refused = json.putArray("refused");
        ArrayNode dropped = json.putArray("dropped");
        ArrayNode writeP50 = json.putArray("writeLatencyP50Ms");
        ArrayNode writeP99 = json.putArray("writeLatencyP99Ms");
        ArrayNode commitP99 = json.putArray("sourceToCommitP99Ms");
        java.util.Set<String> names = new java.util.TreeSet<>();
        samples.forEach(sample -> names.addAll(sample.writtenByTarget().keySet()));
        ObjectNode targets = json.putObject("targets");
        for (MetricsSample sample : samples) {
            seconds.add(sample.at().getEpochSecond());
            written.add(sample.written());
            refused.add(sample.refused());
            dropped.add(sample.dropped());
            writeP50.add(round(sample.writeLatencyP50Ms()));
            writeP99.add(round(sample.writeLatencyP99Ms()));
            commitP99.add(round(sample.sourceToCommitP99Ms()));
            for (String name : names) {
                ObjectNode target = targets.has(name) ? (ObjectNode) targets.get(name) : targets.putObject(name);
                column(target, "written").add(mapper.valueToTree(sample.writtenByTarget().get(name)));
                column(target, "backlog").add(mapper.valueToTree(sample.backlogByTarget().get(name)));
            }
        }
        return json;
    }

    private static ArrayNode column(ObjectNode target, String name) {
        return target.has(name) ? (ArrayNode) target.get(name) : target.putArray(name);
    }

    /** @param signedIn whether the caller logged in; only then does it get the database's error texts */
    ObjectNode backups(List<BackupFile> files, boolean signedIn) {
        ObjectNode json = mapper.createObjectNode();
        ArrayNode list = json.putArray("files");
        for (BackupFile f : files) {
            ObjectNode file = list.addObject();
            file.put("file", f.id());
            file.put("target", f.target());
            file.put("state", f.state().name().toLowerCase(java.util.Locale.ROOT));
            file.put("rows", f.rows());
            file.put("rowsReplayed", f.rowsReplayed());
            file.put("bytes", f.bytes());
            file.put("created", text(f.created()));
            file.put("open", f.open());
            if (signedIn) {
                file.put("lastError", f.lastError());
            }
        }
        return json;
    }

    /**
     * @param signedIn whether the caller logged in; an anonymous caller (a probe) gets the verdict, reason codes
     *                 and advice, but not the error texts, which may name hosts, URLs and users
     */
    ObjectNode health(HealthReport h, boolean signedIn) {
        ObjectNode json = mapper.createObjectNode();
        json.put("status", h.status().name());
        json.put("reason", h.reason());
        json.put("advice", h.advice());
        json.put("checkedAt", text(h.checkedAt()));
        json.set("components", parts(h.components(), signedIn));
        json.set("targets", parts(h.targets(), signedIn));
        return json;
    }

    private ObjectNode parts(Map<String, ComponentHealth> parts, boolean signedIn) {
        ObjectNode json = mapper.createObjectNode();
        for (Map.Entry<String, ComponentHealth> e : parts.entrySet()) {
            ComponentHealth part = e.getValue();
            ObjectNode c = json.putObject(e.getKey());
            c.put("status", part.status().name());
            c.put("state", part.state());
            c.put("reason", part.reason());
            c.put("advice", part.advice());
            if (signedIn && !part.error().isEmpty()) {
                c.put("error", part.error());
            }
            c.set("details", mapper.valueToTree(part.details()));
        }
        return json;
    }

    private static void percentiles(ObjectNode json, MetricsSnapshot.Percentiles p) {
        json.put("writeLatencyP50Ms", round(p.writeLatencyP50Ms()));
        json.put("writeLatencyP99Ms", round(p.writeLatencyP99Ms()));
        json.put("sourceToCommitP50Ms", round(p.sourceToCommitP50Ms()));
        json.put("sourceToCommitP99Ms", round(p.sourceToCommitP99Ms()));
    }

    private static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
