package io.tagbridge.metrics;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.monitor.HealthReport;
import io.tagbridge.api.monitor.MetricsSnapshot;
import io.tagbridge.api.monitor.PipelineMonitor;
import io.tagbridge.api.pipeline.BufferStatus;
import io.tagbridge.api.pipeline.TagBuffer;
import io.tagbridge.api.pipeline.WriteRecorder;
import io.tagbridge.api.pipeline.WriterState;

/** Collects what writers report, and answers with metrics and health. */
@Component(service = { WriteRecorder.class, PipelineMonitor.class }, configurationPid = MetricsConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = MetricsConfig.class)
public class MetricsComponent implements WriteRecorder, PipelineMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsComponent.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TagBuffer buffer;

    private final Clock clock;
    private final RollingWindow window;
    private final HealthRules rules;
    private final Instant started;
    private final Map<String, WriterStatus> writers = new ConcurrentHashMap<>();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong backedUp = new AtomicLong();

    @Activate
    public MetricsComponent(MetricsConfig config) {
        this(config, Clock.systemUTC());
    }

    MetricsComponent(MetricsConfig config, Clock clock) {
        this.clock = clock;
        int window = config.windowSeconds();
        int degraded = config.bufferDegradedPercent();
        int down = config.bufferDownPercent();
        if (window < 1 || window > 86_400 || degraded < 1 || degraded > 100 || down < degraded || down > 100) {
            LOG.error("Configuration {} rejected, using defaults (300 s, 80 %, 95 %): windowSeconds must be 1..86400 "
                    + "(is {}), bufferDegradedPercent 1..100 (is {}), bufferDownPercent from bufferDegradedPercent "
                    + "to 100 (is {})", MetricsConfig.PID, window, degraded, down);
            window = 300;
            degraded = 80;
            down = 95;
        }
        this.window = new RollingWindow(window);
        this.rules = new HealthRules(degraded, down);
        this.started = clock.instant();
    }

    @Override
    public void written(String target, int values, long latencyNanos) {
        Instant now = clock.instant();
        window.written(now.getEpochSecond(), values, latencyNanos);
        written.addAndGet(values);
        writers.compute(target, (t, w) -> (w == null ? running(now) : w).withSuccess(now));
    }

    @Override
    public void failed(String target, int values, long latencyNanos, String reason) {
        window.failed(clock.instant().getEpochSecond());
    }

    @Override
    public void backedUp(String target, int values, String reason) {
        backedUp.addAndGet(values);
    }

    @Override
    public void state(String target, WriterState state, String detail) {
        Instant now = clock.instant();
        if (state == WriterState.STOPPED) {
            writers.remove(target);
        } else {
            writers.compute(target, (t, w) -> (w == null ? running(now) : w).withState(state, detail, now));
        }
    }

    @Override
    public MetricsSnapshot metrics() {
        Instant now = clock.instant();
        RollingWindow.Totals t = window.totals(now.getEpochSecond());
        long elapsed = Math.max(1, Math.min(window.seconds(), now.getEpochSecond() - started.getEpochSecond()));
        long attempts = t.batches() + t.failures();
        BufferStatus b = bufferStatus();
        return new MetricsSnapshot(
                window.seconds(),
                t.batches() == 0 ? 0 : (double) t.values() / t.batches(),
                t.batches() == 0 ? 0 : t.latencyNanos() / 1e6 / t.batches(),
                (double) t.values() / elapsed,
                t.batches(),
                t.failures(),
                attempts == 0 ? 100 : 100.0 * t.batches() / attempts,
                b == null ? 0 : b.depth(),
                b == null ? 0 : b.capacity(),
                written.get(),
                backedUp.get(),
                b == null ? 0 : b.rejected(),
                b == null ? 0 : b.dropped(),
                WriterStatus.latestSuccess(writers.values()));
    }

    @Override
    public HealthReport health() {
        Instant now = clock.instant();
        return rules.evaluate(new TreeMap<>(writers), bufferStatus(), window.totals(now.getEpochSecond()),
                backedUp.get(), now);
    }

    private BufferStatus bufferStatus() {
        TagBuffer current = buffer;
        return current == null ? null : current.status();
    }

    private static WriterStatus running(Instant now) {
        return new WriterStatus(WriterState.RUNNING, "writing", now, null);
    }

}
