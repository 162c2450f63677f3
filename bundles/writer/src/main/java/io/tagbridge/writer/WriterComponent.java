package io.tagbridge.writer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.ComponentConstants;
import org.osgi.annotation.bundle.Capability;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.pipeline.BatchBackup;
import io.tagbridge.api.pipeline.Diagnosis;
import io.tagbridge.api.pipeline.TagBuffer;
import io.tagbridge.api.pipeline.TagStore;
import io.tagbridge.api.pipeline.TargetBacklog;
import io.tagbridge.api.pipeline.TargetCursor;
import io.tagbridge.api.pipeline.TargetState;
import io.tagbridge.api.pipeline.WriteRecorder;

/**
 * One writer per configuration instance: drains the buffer into the table of the pool it targets.
 *
 * <p>While it runs it offers its table to tools as a {@link TagStore} service.
 *
 * <p>A configuration change restarts it, and its pool, buffer or backup going away deactivates it. With the
 * journal on it stops at once and goes on (or its successor does) from its place in the journal; with the
 * journal off it first finishes and flushes, and what is still buffered is picked up after.
 */
// For resolvers (Karaf features, bnd): the store is registered by hand, once its table is checked,
// so DS cannot declare it.
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.tagbridge.api.pipeline.TagStore")
@Component(configurationPid = WriterConfig.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = WriterConfig.class, factory = true)
public class WriterComponent {

    private static final Logger LOG = LoggerFactory.getLogger(WriterComponent.class);

    @Reference
    private TagBuffer buffer;

    @Reference
    private DataSource dataSource;

    @Reference
    private BatchBackup backup;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<WriteRecorder> recorders;

    private final WriteRecorder recorder = new RecorderFanOut(() -> recorders);

    /**
     * A batch's retries stop once the buffer is this full; half leaves room for the batches that follow to reach
     * the backup before the buffer refuses values.
     */
    static final double RETRY_UNTIL_FILL_PERCENT = 50;

    private StopSignal stop;
    private WriterSettings running;
    private String name;
    private Thread thread;
    private TargetCursor cursor;
    private long joinMillis;
    private ServiceRegistration<TagStore> store;

    static final String FILEINSTALL_NOTE = "felix.fileinstall.filename";

    /** With the journal on, a stop does not wait for a hung database: what is unsettled stays in the journal. */
    static final long JOURNAL_STOP_MILLIS = 2_000;

    @Activate
    void activate(BundleContext context, WriterConfig config) {
        name = config.name();
        stop = new StopSignal();
        List<String> problems = WriterSettings.problems(config);
        if (!problems.isEmpty()) {
            String detail = "configuration " + WriterConfig.FACTORY_PID + "~" + name + " rejected: "
                    + String.join("; ", problems) + ". The writer does not write until it is fixed";
            LOG.error("Writer {}: {}", name, detail);
            recorder.state(name, TargetState.MISCONFIGURED, Diagnosis.of("CONFIGURATION_INVALID", detail));
            return;
        }
        WriterSettings settings = WriterSettings.from(config);
        TagTable table = new TagTable(settings.table(), settings.partitionByDay());
        BatchInserter inserter = new BatchInserter(dataSource, table, settings.createTable(), settings.writeMode(),
                settings.conflictPolicy(), settings.gatewayId());
        try {
            cursor = buffer.open(name, settings.tagFilter());
        } catch (IllegalStateException e) {
            LOG.error("Writer {}: {}", name, e.getMessage());
            recorder.state(name, TargetState.MISCONFIGURED, Diagnosis.of("NAME_NOT_UNIQUE", e.getMessage()));
            return;
        }
        TagBuffer from = buffer;
        boolean keep = cursor.persistent() && settings.outageMode() == OutageMode.KEEP;
        Delivery delivery = new Delivery(settings, inserter, backup, () -> recorder, stop, keep,
                () -> from.status().fillPercent() >= RETRY_UNTIL_FILL_PERCENT);
        joinMillis = cursor.persistent() ? JOURNAL_STOP_MILLIS
                : settings.stopFlush().toMillis() + TimeUnit.SECONDS.toMillis(30);
        Replayer replayer = new Replayer(settings, backup, delivery, inserter, () -> recorder);
        OutageSummary summary = new OutageSummary(name, () -> {
            TargetBacklog backlog = from.status().targets().get(name);
            return backlog == null ? 0 : backlog.backlog();
        }, keep);
        TargetCursor taken = cursor;
        thread = new Thread(new Lifeline(name, () -> new WriteLoop(settings, taken, delivery, inserter, stop,
                replayer, summary), taken, delivery, stop), "tagbridge-writer-" + name);
        thread.setDaemon(true);
        thread.start();
        store = context.registerService(TagStore.class,
                new WriterTagStore(name, dataSource, table, settings.createTable(), inserter),
                FrameworkUtil.asDictionary(Map.of(TagStore.NAME_PROPERTY, name)));
        running = settings;
        recorder.state(name, TargetState.WRITING, Diagnosis.of("STARTED", "started, writing to table "
                + settings.table().sql()));
        LOG.info("Writer {} started: table {} ({}), gateway {}, batches of {} or every {} s, {} retries, {}{}", name,
                settings.table().sql(), settings.writeMode(), settings.gatewayId(), settings.batchSize(),
                config.writeIntervalSeconds(), settings.retryMax(), keep ? "outages wait in the journal"
                        : "outages go to backup files",
                settings.tagFilter().isEmpty() ? "" : ", tags " + String.join(",", settings.tagFilter()));
    }

    /**
     * Restarts in place, except when FileInstall reads back the etc file a console save was just written into:
     * the same settings, now as text and with FileInstall's note of the file. Saving the same settings again in
     * the console still restarts the writer, which is how an operator makes it try refused settings again.
     */
    @Modified
    void modified(BundleContext context, WriterConfig config, Map<String, Object> properties) {
        if (running != null && properties.containsKey(FILEINSTALL_NOTE) && WriterSettings.problems(config).isEmpty()
                && WriterSettings.from(config).equals(running)) {
            return;
        }
        deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_MODIFIED);
        activate(context, config);
    }

    @Deactivate
    void deactivate(int reason) {
        running = null;
        if (store != null) {
            store.unregister();
            store = null;
        }
        stop.stop();
        if (thread != null) {
            cursor.wake();
            try {
                thread.join(joinMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.error("Writer {} did not stop within {} ms: a database call hangs. {}", name, joinMillis,
                        cursor.persistent() ? "What it has not written stays in the journal"
                                : "Its batch stays with the hanging call; check the pool's read timeout");
            }
        }
        thread = null;
        if (cursor != null) {
            cursor.close();
            cursor = null;
        }
        recorder.state(name, TargetState.STOPPED, stopped(reason));
    }

    /** Why the writer stopped, in the words health shows. */
    static Diagnosis stopped(int reason) {
        return switch (reason) {
            case ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED, ComponentConstants.DEACTIVATION_REASON_DISPOSED ->
                    Diagnosis.of("CONFIGURATION_DELETED", "its configuration was deleted");
            case ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED -> Diagnosis.of("WRITER_BUNDLE_STOPPED",
                    "the writer bundle is stopped: start io.tagbridge.writer again (lb, then start <id>)");
            case ComponentConstants.DEACTIVATION_REASON_REFERENCE -> Diagnosis.of("DEPENDENCY_MISSING",
                    "the writer stopped because its pool, buffer or backup went away: check that the pool named in "
                            + "dataSource.target runs (scr:list)");
            case ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_MODIFIED -> Diagnosis.of("RECONFIGURING",
                    "the writer restarts with its changed configuration; if it stays here, the pool its "
                            + "dataSource.target names does not run (scr:list)");
            default -> Diagnosis.of("WRITER_STOPPED", "the writer is stopped: check the writer's configuration and "
                    + "that bundle io.tagbridge.writer is active");
        };
    }

}
