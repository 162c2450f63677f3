package io.tagbridge.buffer;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.IngestResult;
import io.tagbridge.api.RefusalReason;
import io.tagbridge.api.TagIngest;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.BackupException;
import io.tagbridge.api.pipeline.BatchBackup;
import io.tagbridge.api.pipeline.BufferStatus;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.TagBuffer;

/**
 * The buffer as a service: drivers offer through {@link TagIngest}, writers drain through {@link TagBuffer}.
 *
 * <p>A configuration change is applied in place ({@link Modified}), so buffered values survive it. When the
 * component stops, writers have already stopped (they depend on it), so whatever is still buffered goes to
 * the backup rather than being lost.
 */
@Component(service = { TagIngest.class, TagBuffer.class }, configurationPid = BufferConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = BufferConfig.class)
public class BufferComponent implements TagIngest, TagBuffer {

    private static final Logger LOG = LoggerFactory.getLogger(BufferComponent.class);

    private final BatchBackup backup;
    private final BoundedTagBuffer buffer;
    private final RefusalLog refusalLog = new RefusalLog(LOG, TimeUnit.SECONDS.toNanos(10));

    @Activate
    public BufferComponent(@Reference BatchBackup backup, BufferConfig config) {
        this.backup = backup;
        this.buffer = new BoundedTagBuffer(settingsOrDefaults(config), () -> ReceivedValue.micros(Instant.now()));
    }

    @Modified
    void modified(BufferConfig config) {
        List<String> problems = BufferSettings.problems(config);
        if (!problems.isEmpty()) {
            LOG.error("Configuration {} rejected, the buffer keeps its previous settings: {}", BufferConfig.PID,
                    String.join("; ", problems));
            return;
        }
        buffer.reconfigure(BufferSettings.from(config));
        LOG.info("Buffer reconfigured: capacity {}, policy {}", config.capacity(), config.overflowPolicy());
    }

    @Deactivate
    void deactivate() {
        List<ReceivedValue> rest = buffer.close();
        BufferStatus status = buffer.status();
        LOG.info("Buffer stopped: {} values accepted, {} refused, {} dropped since start; {} still buffered",
                status.accepted(), status.refusedTotal(), status.dropped(), rest.size());
        if (rest.isEmpty()) {
            return;
        }
        String reason = "the buffer stopped with " + rest.size() + " values not yet written to the database";
        try {
            Path file = backup.save(rest, reason);
            LOG.warn("Buffer stopped: {} unwritten values saved to {}", rest.size(), file);
        } catch (BackupException e) {
            LOG.error("LOST {} buffered values: the buffer stopped and the backup failed: {}", rest.size(),
                    e.getMessage());
        }
    }

    @Override
    public IngestResult offer(TagValue value) {
        return refusalLog.note(buffer.offer(value));
    }

    @Override
    public IngestResult offer(List<TagValue> values) {
        return refusalLog.note(buffer.offer(values));
    }

    @Override
    public int drain(Collection<? super ReceivedValue> sink, int batchSize, long timeout, TimeUnit unit)
            throws InterruptedException {
        return buffer.drain(sink, batchSize, timeout, unit);
    }

    @Override
    public void returnUndelivered(List<ReceivedValue> values) {
        buffer.returnUndelivered(values);
    }

    @Override
    public void wakeConsumers() {
        buffer.wakeConsumers();
    }

    @Override
    public BufferStatus status() {
        return buffer.status();
    }

    @Override
    public void countRefused(int values, RefusalReason reason, String detail) {
        buffer.countRefused(values, reason, detail);
    }

    private static BufferSettings settingsOrDefaults(BufferConfig config) {
        List<String> problems = BufferSettings.problems(config);
        if (problems.isEmpty()) {
            return BufferSettings.from(config);
        }
        LOG.error("Configuration {} rejected, the buffer starts with its defaults (capacity {}, policy {}): {}",
                BufferConfig.PID, BufferSettings.DEFAULTS.capacity(), BufferSettings.DEFAULTS.policy(),
                String.join("; ", problems));
        return BufferSettings.DEFAULTS;
    }
}
