package io.tagbridge.writer;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.pipeline.BatchBackup;
import io.tagbridge.api.pipeline.Diagnosis;
import io.tagbridge.api.pipeline.TagBuffer;
import io.tagbridge.api.pipeline.TargetState;
import io.tagbridge.api.pipeline.WriteRecorder;
import io.tagbridge.api.sink.TagSink;

/**
 * The delivery engine: runs one target for each {@link TagSink} service (the whiteboard pattern), draining the
 * buffer into it with retries, outage handling and backup replay. A sink that comes starts its target, one that
 * goes stops it, and a sink whose properties change restarts it; what a stopped target has not written stays in the
 * buffer.
 */
@Component(immediate = true, service = {})
public class WriterEngine {

    private static final Logger LOG = LoggerFactory.getLogger(WriterEngine.class);

    @Reference
    private TagBuffer buffer;

    @Reference
    private BatchBackup backup;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<WriteRecorder> recorders;

    private final WriteRecorder recorder = new RecorderFanOut(() -> recorders);

    /** Sinks bound before activation wait here: the buffer and the backup are not known yet. */
    private final Map<TagSink, Map<String, Object>> sinks = new LinkedHashMap<>();
    private final Map<TagSink, RunningTarget> running = new IdentityHashMap<>();
    private boolean active;

    @Activate
    synchronized void activate() {
        active = true;
        sinks.forEach(this::start);
    }

    @Deactivate
    synchronized void deactivate(int reason) {
        active = false;
        Diagnosis why = stopped(reason);
        for (RunningTarget target : new ArrayList<>(running.values())) {
            target.stop(why, () -> recorder);
        }
        running.clear();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void addSink(TagSink sink, Map<String, Object> properties) {
        sinks.put(sink, properties);
        if (active) {
            start(sink, properties);
        }
    }

    synchronized void updatedSink(TagSink sink, Map<String, Object> properties) {
        removeSink(sink);
        addSink(sink, properties);
    }

    synchronized void removeSink(TagSink sink) {
        sinks.remove(sink);
        RunningTarget target = running.remove(sink);
        if (target != null) {
            target.stop(sink.withdrawn(), () -> recorder);
        }
    }

    private void start(TagSink sink, Map<String, Object> properties) {
        TargetSettings.Read read = TargetSettings.read(properties);
        List<String> problems = new ArrayList<>(sinkProblems(properties.get(TagSink.PROBLEMS_PROPERTY)));
        problems.addAll(read.problems());
        if (!problems.isEmpty()) {
            Object name = properties.get(TagSink.NAME_PROPERTY);
            String detail = "configuration of target " + name + " rejected: " + String.join("; ", problems)
                    + ". It does not write until its configuration is fixed";
            LOG.error("Writer {}: {}", name, detail);
            recorder.state(String.valueOf(name), TargetState.MISCONFIGURED,
                    Diagnosis.of("CONFIGURATION_INVALID", detail));
            return;
        }
        RunningTarget target = RunningTarget.start(sink, read.settings(), buffer, backup, () -> recorder);
        if (target != null) {
            running.put(sink, target);
        }
    }

    private static List<String> sinkProblems(Object value) {
        return value == null ? List.of() : value instanceof String[] array ? List.of(array)
                : value instanceof java.util.Collection<?> c ? c.stream().map(String::valueOf).toList()
                : List.of(String.valueOf(value));
    }

    /** Why the engine stopped its targets, in the words health shows. */
    static Diagnosis stopped(int reason) {
        return switch (reason) {
            case ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED -> Diagnosis.of("WRITER_BUNDLE_STOPPED",
                    "the writer bundle is stopped: start io.tagbridge.writer again (lb, then start <id>)");
            case ComponentConstants.DEACTIVATION_REASON_REFERENCE -> Diagnosis.of("DEPENDENCY_MISSING",
                    "the writers stopped because the buffer or the backup went away: check that bundles "
                            + "io.tagbridge.buffer and io.tagbridge.backup are active (scr:list)");
            default -> Diagnosis.of("WRITER_STOPPED", "the writer is stopped: check that bundle io.tagbridge.writer "
                    + "is active and its component io.tagbridge.writer.WriterEngine enabled (scr:list)");
        };
    }
}
