package io.tagbridge.metrics;

import java.util.Map;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import io.tagbridge.api.RefusalReason;
import io.tagbridge.api.monitor.MetricsSnapshot;
import io.tagbridge.api.pipeline.DropReason;
import io.tagbridge.api.pipeline.TargetState;

/**
 * The metrics in Prometheus' names and units: counters since start (kept across restarts where the journal keeps
 * them), gauges of the moment, and latency histograms since start.
 */
final class PrometheusExposition {

    /** Bucket bounds in seconds, from a fast commit to a long outage. */
    static final double[] BOUNDS = { 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300,
            Double.POSITIVE_INFINITY };

    private PrometheusExposition() {
    }

    static MetricSnapshots of(MetricsSnapshot m, Map<String, Latencies> latencies) {
        MetricsSnapshot.Totals t = m.totals();
        MetricSnapshots.Builder all = MetricSnapshots.builder();
        all.metricSnapshot(counter("tagbridge_values_offered", "Values drivers and producers offered", t.valuesOffered()));
        all.metricSnapshot(counter("tagbridge_values_accepted", "Values the buffer accepted", t.valuesAccepted()));
        all.metricSnapshot(counter("tagbridge_unclean_stops", "Starts that found the stop before them unclean (a "
                + "power cut, a crash or a kill)", t.uncleanStops()));
        all.metricSnapshot(counter("tagbridge_values_clock_suspect", "Values accepted with a suspect source time "
                + "(before the clock floor or too far ahead), stored at their received time or as they came",
                t.valuesClockSuspect()));
        all.metricSnapshot(counter("tagbridge_backup_expired_values", "Values of pending backup files that expired "
                + "(older than their target keeps values), dropped or archived", t.backupExpiredValues()));
        all.metricSnapshot(counter("tagbridge_values_filtered", "Values taken at the door but not stored, because "
                + "they changed less than their tag's deadband", t.valuesFiltered()));
        CounterSnapshot.Builder refused = CounterSnapshot.builder().name("tagbridge_values_refused")
                .help("Values refused at the door, by reason");
        for (RefusalReason reason : RefusalReason.values()) {
            refused.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of("reason", reason.name()))
                    .value(t.refused().getOrDefault(reason, 0L)).build());
        }
        all.metricSnapshot(refused.build());
        all.metricSnapshot(perTarget(m, "tagbridge_values_written", "Rows committed", MetricsSnapshot.Target::valuesWritten));
        all.metricSnapshot(perTarget(m, "tagbridge_values_already_stored", "Values whose row the table held already",
                MetricsSnapshot.Target::valuesAlreadyStored));
        all.metricSnapshot(perTarget(m, "tagbridge_values_backed_up", "Values saved to backup files",
                MetricsSnapshot.Target::valuesBackedUp));
        all.metricSnapshot(perTarget(m, "tagbridge_values_dropped", "Values given up",
                MetricsSnapshot.Target::valuesDropped));
        all.metricSnapshot(perTarget(m, "tagbridge_values_expired", "Values given up because they were older than "
                + "the target keeps values (maxAgeHours), archived or not; among the dropped",
                target -> target.dropped().getOrDefault(DropReason.EXPIRED, 0L)));
        all.metricSnapshot(perTarget(m, "tagbridge_values_replayed", "Values replayed from backup files",
                MetricsSnapshot.Target::valuesReplayed));
        all.metricSnapshot(perTarget(m, "tagbridge_values_quarantined", "Values the database refused again on replay",
                MetricsSnapshot.Target::valuesQuarantined));
        all.metricSnapshot(perTarget(m, "tagbridge_values_conflicting",
                "Values that met another value stored for their tag and source time",
                MetricsSnapshot.Target::valuesConflicting));
        GaugeSnapshot.Builder age = GaugeSnapshot.builder().name("tagbridge_oldest_unsent_age_seconds")
                .help("How long the oldest value a target has not written has waited; 0 without backlog, per target");
        m.targets().forEach((target, one) -> age.dataPoint(GaugeDataPointSnapshot.builder()
                .labels(Labels.of("target", target)).value(one.oldestUnsentAgeSeconds()).build()));
        all.metricSnapshot(age.build());
        if (t.dataDiskFreeBytes() >= 0) {
            all.metricSnapshot(gauge("tagbridge_data_disk_free_bytes", "Bytes free for the gateway on the disk of "
                    + "its data directory", Unit.BYTES, t.dataDiskFreeBytes()));
        }
        GaugeSnapshot.Builder backlog = GaugeSnapshot.builder().name("tagbridge_backlog_values")
                .help("Values a target has not settled yet");
        GaugeSnapshot.Builder up = GaugeSnapshot.builder().name("tagbridge_target_up")
                .help("1 while a target writes or retries, 0 otherwise");
        for (Map.Entry<String, MetricsSnapshot.Target> e : m.targets().entrySet()) {
            Labels target = Labels.of("target", e.getKey());
            TargetState state = e.getValue().state();
            backlog.dataPoint(GaugeDataPointSnapshot.builder().labels(target).value(e.getValue().backlog()).build());
            up.dataPoint(GaugeDataPointSnapshot.builder().labels(target)
                    .value(state == TargetState.WRITING || state == TargetState.RETRYING ? 1 : 0).build());
        }
        all.metricSnapshot(backlog.build());
        all.metricSnapshot(up.build());
        all.metricSnapshot(gauge("tagbridge_buffer_fill_ratio", "How full the buffer is, 0 to 1", null,
                t.bufferFillPercent() / 100));
        all.metricSnapshot(gauge("tagbridge_journal_bytes", "Bytes the journal takes on disk", Unit.BYTES,
                t.journalBytes()));
        all.metricSnapshot(gauge("tagbridge_backup_pending_files", "Backup files waiting to be replayed", null,
                t.backupPendingFiles()));
        all.metricSnapshot(gauge("tagbridge_backup_pending_values", "Values in backup files not yet replayed", null,
                t.backupPendingValues()));
        all.metricSnapshot(gauge("tagbridge_backup_quarantined_files", "Backup files in quarantine", null,
                t.backupQuarantinedFiles()));
        all.metricSnapshot(gauge("tagbridge_backup_archived_files", "Files of expired values in the backup folder's "
                + "archive/", null, t.backupArchivedFiles()));
        all.metricSnapshot(gauge("tagbridge_backup_bytes", "The backup folder's size", Unit.BYTES, t.backupBytes()));
        all.metricSnapshot(histogram("tagbridge_write_duration_seconds", "Time one batch took to commit",
                latencies, true));
        all.metricSnapshot(histogram("tagbridge_source_to_commit_seconds",
                "Time from a value's source time to its commit", latencies, false));
        return all.build();
    }

    private static CounterSnapshot counter(String name, String help, long value) {
        return CounterSnapshot.builder().name(name).help(help)
                .dataPoint(CounterDataPointSnapshot.builder().value(value).build()).build();
    }

    private static CounterSnapshot perTarget(MetricsSnapshot m, String name, String help,
            java.util.function.ToLongFunction<MetricsSnapshot.Target> value) {
        CounterSnapshot.Builder counter = CounterSnapshot.builder().name(name).help(help + ", per target");
        m.targets().forEach((target, t) -> counter.dataPoint(CounterDataPointSnapshot.builder()
                .labels(Labels.of("target", target)).value(value.applyAsLong(t)).build()));
        return counter.build();
    }

    private static GaugeSnapshot gauge(String name, String help, Unit unit, double value) {
        GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(name).help(help);
        if (unit != null) {
            gauge.unit(unit);
        }
        return gauge.dataPoint(GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    private static HistogramSnapshot histogram(String name, String help, Map<String, Latencies> latencies,
            boolean write) {
        HistogramSnapshot.Builder histogram = HistogramSnapshot.builder().name(name).help(help).unit(Unit.SECONDS);
        latencies.forEach((target, l) -> {
            Latency latency = write ? l.write : l.sourceToCommit;
            long[] counts = new long[BOUNDS.length];
            long below = 0;
            for (int i = 0; i < BOUNDS.length; i++) {
                long atMost = Double.isInfinite(BOUNDS[i]) ? latency.count() : latency.countAtMost(BOUNDS[i]);
                counts[i] = Math.max(0, atMost - below);
                below += counts[i];
            }
            histogram.dataPoint(HistogramDataPointSnapshot.builder().labels(Labels.of("target", target))
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(BOUNDS, counts)).sum(latency.sumSeconds())
                    .build());
        });
        return histogram.build();
    }
}
