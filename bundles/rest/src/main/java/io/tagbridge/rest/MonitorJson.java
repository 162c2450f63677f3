package io.tagbridge.rest;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tagbridge.api.monitor.ComponentHealth;
import io.tagbridge.api.monitor.HealthReport;
import io.tagbridge.api.monitor.MetricsSnapshot;

/** The JSON shapes of the metrics and health endpoints, field by field, so they stay stable. */
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
        json.put("bufferDepth", m.bufferDepth());
        json.put("bufferCapacity", m.bufferCapacity());
        json.put("valuesWritten", m.valuesWritten());
        json.put("valuesBackedUp", m.valuesBackedUp());
        json.put("valuesRejected", m.valuesRejected());
        json.put("valuesDropped", m.valuesDropped());
        json.put("lastSuccessfulWrite", text(m.lastSuccessfulWrite()));
        return json;
    }

    ObjectNode health(HealthReport h) {
        ObjectNode json = mapper.createObjectNode();
        json.put("status", h.status().name());
        json.put("checkedAt", text(h.checkedAt()));
        ObjectNode components = json.putObject("components");
        for (Map.Entry<String, ComponentHealth> e : h.components().entrySet()) {
            ObjectNode c = components.putObject(e.getKey());
            c.put("status", e.getValue().status().name());
            c.put("message", e.getValue().message());
            c.set("details", mapper.valueToTree(e.getValue().details()));
        }
        return json;
    }

    private static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
