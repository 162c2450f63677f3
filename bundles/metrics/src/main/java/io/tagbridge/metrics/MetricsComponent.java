package io.tagbridge.metrics;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.monitor.ComponentHealth;
import io.tagbridge.api.monitor.HealthCheck;
import io.tagbridge.api.monitor.HealthReport;
import io.tagbridge.api.monitor.HealthStatus;
import io.tagbridge.api.monitor.MetricsSample;
import io.tagbridge.api.monitor.MetricsSnapshot;
import io.tagbridge.api.monitor.PipelineMonitor;
import io.tagbridge.api.pipeline.DataDirectory;
import io.tagbridge.api.pipeline.BackupStatus;
import io.tagbridge.api.pipeline.BatchBackup;
import io.tagbridge.api.pipeline.BufferStatus;
import io.tagbridge.api.pipeline.Diagnosis;
import io.tagbridge.api.pipeline.DropReason;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.TagBuffer;
import io.tagbridge.api.pipeline.TargetBacklog;
import io.tagbridge.api.pipeline.TargetState;
import io.tagbridge.api.pipeline.WriteRecorder;
import io.tagbridge.api.security.Gatekeeper;

/**
 * Collects what writers report, and answers with metrics and health. Targets are known from what their writers
 * report; a target whose configuration is deleted is forgotten.
 */
@Component(service = { WriteRecorder.class, PipelineMonitor.class }, configurationPid = MetricsConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = MetricsConfig.class)
public class MetricsComponent implements WriteRecorder, PipelineMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsComponent.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile TagBuffer buffer;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile BatchBackup backup;

    private final Clock clock;
    private final RollingWindow window;
    private final HealthRules rules;
    private final Instant started;
    private final Map<String, TargetRecord> targets = new ConcurrentHashMap<>();
    private final Latencies all;
    private final History history;
    private ScheduledExecutorService sampler;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Gatekeeper gatekeeper;

    private ServiceRegistration<?> prometheus;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile DataDirectory dataDirectory;

    /** Parts outside the pipeline that have a say in health (the whiteboard pattern). */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    final List<HealthCheck> healthChecks = new CopyOnWriteArrayList<>();

    @Activate
    public MetricsComponent(MetricsConfig config, BundleContext context) {
        this(config, Clock.systemUTC());
        prometheus = PrometheusEndpoint.register(context, this::metrics, this::latencies, () -> gatekeeper);
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tagbridge-metrics-history");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    }

    /** A scheduled task that throws is never run again, silently: nothing may escape a sample. */
    private void sample() {
        try {
            history.sample(metrics(), clock.instant());
        } catch (RuntimeException e) {
            LOG.error("Metrics: a second of history could not be sampled; the next one is tried", e);
        }
    }

    @Override
    public List<MetricsSample> history() {
        return history.samples();
    }

    @Deactivate
    void deactivate() {
        if (sampler != null) {
            sampler.shutdownNow();
        }
        if (prometheus != null) {
            prometheus.unregister();
        }
    }

    /** Each target's latencies, by name, for the Prometheus histograms. */
    Map<String, Latencies> latencies() {
        Map<String, Latencies> byTarget = new TreeMap<>();
        targets.forEach((name, record) -> byTarget.put(name, record.latencies()));
        return byTarget;
    }

    MetricsComponent(MetricsConfig config, Clock clock) {
        this.clock = clock;
        int window = config.windowSeconds();
        int degraded = config.bufferDegradedPercent();
        int down = config.bufferDownPercent();
        if (window < 1 || window > 86_400 || degraded < 1 || degraded > 100 || down < degraded || down > 100) {
            MetricsConfig defaults = defaults();
            LOG.error("Configuration {} rejected, using defaults ({} s, {} %, {} %): windowSeconds must be 1..86400 "
                    + "(is {}), bufferDegradedPercent 1..100 (is {}), bufferDownPercent from bufferDegradedPercent "
                    + "to 100 (is {})", MetricsConfig.PID, defaults.windowSeconds(), defaults.bufferDegradedPercent(),
                    defaults.bufferDownPercent(), window, degraded, down);
            window = defaults.windowSeconds();
            degraded = defaults.bufferDegradedPercent();
            down = defaults.bufferDownPercent();
        }
        this.window = new RollingWindow(window);
        this.all = new Latencies(window);
        this.history = new History(window);
        this.rules = new HealthRules(degraded, down);
        this.started = clock.instant();
    }

    /** The configuration form's defaults: what metrics use while their configuration is refused. */
    private static MetricsConfig defaults() {
        return (MetricsConfig) Proxy.newProxyInstance(MetricsConfig.class.getClassLoader(),
                new Class<?>[] { MetricsConfig.class }, (proxy, method, args) -> method.getDefaultValue());
    }

    @Override
    public void written(String target, List<ReceivedValue> values, int stored, long latencyNanos) {
        Instant now = clock.instant();
        window.written(now.getEpochSecond(), values.size(), latencyNanos);
        Commit commit = Commit.of(values, latencyNanos, now);
        record(target, now).written(values.size(), latencyNanos, commit, now);
        all.written(commit);
        history.written(commit);
    }

    @Override
    public void conflicting(String target, int values) {
        record(target, clock.instant()).conflicting(values);
    }

    @Override
    public void replayed(String target, int written, int alreadyStored, int quarantined) {
        record(target, clock.instant()).replayed(written + alreadyStored, quarantined);
    }

    @Override
    public void failed(String target, int values, long latencyNanos, Diagnosis why) {
        Instant now = clock.instant();
        window.failed(now.getEpochSecond());
        record(target, now).failed(now);
    }

    /** A target first heard of as stopped is not recorded: it was removed, and its writer stopped after. */
    @Override
    public void state(String target, TargetState state, Diagnosis why) {
        Instant now = clock.instant();
        if (state == TargetState.STOPPED) {
            targets.computeIfPresent(target, (t, record) -> record.state(state, why, now));
        } else {
            record(target, now).state(state, why, now);
        }
    }

    @Override
    public void removed(String target) {
        targets.remove(target);
    }

    @Override
    public MetricsSnapshot metrics() {
        Instant now = clock.instant();
        RollingWindow.Totals t = window.totals(now.getEpochSecond());
        long elapsed = Math.max(1, Math.min(window.seconds(), now.getEpochSecond() - started.getEpochSecond()));
        long attempts = t.batches() + t.failures();
        BufferStatus b = bufferStatus();
        Map<String, TargetBacklog> counters = b == null ? Map.of() : b.targets();
        Map<String, MetricsSnapshot.Target> perTarget = new TreeMap<>();
        for (Map.Entry<String, TargetRecord> e : known(b, now).entrySet()) {
            perTarget.put(e.getKey(), e.getValue().snapshot(counters.get(e.getKey()), now, elapsed));
        }
        long written = 0, stored = 0, backedUp = 0, dropped = 0, backlog = 0;
        EnumMap<DropReason, Long> droppedBy = new EnumMap<>(DropReason.class);
        for (DropReason reason : DropReason.values()) {
            droppedBy.put(reason, 0L);
        }
        long conflicting = 0, replayed = 0, quarantined = 0;
        for (TargetRecord r : targets.values()) {
            conflicting += r.conflicting();
            replayed += r.replayed();
            quarantined += r.quarantined();
        }
        BackupStatus backups = backupStatus();
        for (TargetBacklog c : counters.values()) {
            written += c.written();
            stored += c.alreadyStored();
            backedUp += c.backedUp();
            dropped += c.droppedTotal();
            c.dropped().forEach((reason, n) -> droppedBy.merge(reason, n, Long::sum));
            backlog += c.backlog();
        }
        MetricsSnapshot.Totals totals = new MetricsSnapshot.Totals(
                b == null ? 0 : b.offered(),
                b == null ? 0 : b.accepted(),
                b == null ? 0 : b.refusedTotal(),
                b == null ? Map.of() : b.refused(),
                written, stored, backedUp, dropped, conflicting, replayed, quarantined, backlog,
                b != null && b.journal(),
                b == null ? 0 : b.heldBytes(),
                b == null ? 0 : b.damagedBytes(),
                b == null ? 0 : b.depth(),
                b == null ? 0 : b.fillPercent(),
                backups == null ? 0 : backups.pendingFiles(),
                backups == null ? 0 : backups.pendingValues(),
                backups == null ? 0 : backups.quarantinedFiles(),
                backups == null ? 0 : backups.bytes(),
                targets.values().stream().map(TargetRecord::lastSuccessfulWrite).filter(Objects::nonNull)
                        .max(Comparator.naturalOrder()).orElse(null),
                b == null ? 0 : b.uncleanStops(),
                droppedBy,
                b == null ? 0 : b.clockSuspect(),
                dataDiskFreeBytes(),
                b == null ? 0 : b.filtered(),
                backups == null ? 0 : backups.expiredValues(),
                backups == null ? 0 : backups.archivedFiles());
        return new MetricsSnapshot(
                window.seconds(),
                t.batches() == 0 ? 0 : (double) t.values() / t.batches(),
                t.batches() == 0 ? 0 : t.latencyNanos() / 1e6 / t.batches(),
                (double) t.values() / elapsed,
                t.batches(),
                t.failures(),
                attempts == 0 ? 100 : 100.0 * t.batches() / attempts,
                totals,
                perTarget,
                all.percentiles(now));
    }

    @Override
    public HealthReport health() {
        BufferStatus b = bufferStatus();
        Instant now = clock.instant();
        return rules.evaluate(new TreeMap<>(known(b, now)), b, backupStatus(), checks(), now);
    }

    /**
     * The targets writers reported, and those the buffer keeps values for although no writer has reported them
     * (their writer is not running); targets whose configuration was deleted are left out.
     */
    private Map<String, TargetRecord> known(BufferStatus b, Instant now) {
        Map<String, TargetRecord> all = new TreeMap<>(targets);
        if (b != null) {
            b.targets().forEach((name, backlog) -> {
                if (backlog.deletedAt() == null) {
                    all.computeIfAbsent(name, n -> TargetRecord.notRunning(window.seconds(), now));
                } else {
                    all.remove(name);
                }
            });
        }
        return all;
    }

    private TargetRecord record(String target, Instant now) {
        return targets.computeIfAbsent(target, t -> new TargetRecord(window.seconds(), now));
    }

    /** What every {@link HealthCheck} says now, by name; a check that fails says so itself. */
    private Map<String, ComponentHealth> checks() {
        Map<String, ComponentHealth> verdicts = new TreeMap<>();
        for (HealthCheck check : healthChecks) {
            String name = check.name();
            try {
                verdicts.put(name, check.check());
            } catch (RuntimeException e) {
                verdicts.put(name, new ComponentHealth(HealthStatus.DEGRADED, "UNKNOWN", "CHECK_FAILED", "the "
                        + "health check " + name + " failed; see the log", e.toString(), Map.of()));
                LOG.warn("Health check {} failed: {}", name, e.toString());
            }
        }
        return verdicts;
    }

    private BackupStatus backupStatus() {
        BatchBackup current = backup;
        try {
            return current == null ? null : current.status();
        } catch (RuntimeException e) {
            LOG.warn("The backup's status could not be read: {}", e.toString());
            return null;
        }
    }

    private BufferStatus bufferStatus() {
        TagBuffer current = buffer;
        return current == null ? null : current.status();
    }

    /** Bytes free for the gateway on the data directory's disk, -1 when there is none or it cannot be read. */
    private long dataDiskFreeBytes() {
        DataDirectory data = dataDirectory;
        try {
            return data == null ? -1 : Files.getFileStore(data.path()).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }
}
