package io.tagbridge.buffer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.IngestResult;
import io.tagbridge.api.RefusalReason;
import io.tagbridge.api.TagIngest;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.BatchBackup;
import io.tagbridge.api.pipeline.BufferStatus;
import io.tagbridge.api.pipeline.DataDirectory;
import io.tagbridge.api.pipeline.Diagnosis;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.TagBuffer;
import io.tagbridge.api.pipeline.TargetCursor;
import io.tagbridge.buffer.journal.FileStorage;
import io.tagbridge.buffer.journal.HeapStorage;
import io.tagbridge.buffer.journal.Storage;

/**
 * The buffer as a service: drivers offer through {@link TagIngest}, writers read through {@link TagBuffer}.
 *
 * <p>Most changes to its configuration apply in place. A change of where values are kept (journal on or off, its
 * directory) waits until every target has written its backlog, so that nothing is left behind in the old place,
 * and then restarts this component with the new settings.
 */
@Component(service = { TagIngest.class, TagBuffer.class }, configurationPid = BufferConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = BufferConfig.class)
public class BufferComponent implements TagIngest, TagBuffer {

    private static final Logger LOG = LoggerFactory.getLogger(BufferComponent.class);
    /** Heap segments are small, so that memory is given back as targets catch up. */
    private static final int HEAP_SEGMENT_BYTES = 256 << 10;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile BatchBackup backup;

    private final ComponentContext context;
    private final Path dataDirectory;
    private final RefusalLog refusalLog = new RefusalLog(LOG, TimeUnit.SECONDS.toNanos(10));
    private final JournalBuffer buffer;
    private final BufferSettings running;
    private volatile BufferSettings wanted;
    private volatile JournalRetry retry;
    private static final Duration RETRY = Duration.ofSeconds(5);

    @Activate
    public BufferComponent(ComponentContext context, @Reference DataDirectory data, BufferConfig config)
            throws IOException {
        this.context = context;
        this.dataDirectory = data.path();
        BufferSettings settings = settingsOrDefaults(config);
        this.wanted = settings;
        BufferSettings effective = settings;
        Path journalPath = settings.journalPath(dataDirectory);
        if (!settings.journal() && JournalFiles.holdsBacklog(journalPath)) {
            LOG.warn("The journal is switched off in {}, but {} still holds values: it stays on until every writer "
                    + "has written them", BufferConfig.PID, journalPath);
            effective = settings.withJournal();
        }
        this.running = effective;
        this.buffer = open(effective);
        LOG.info("Buffer started: {}", describe(effective));
    }

    /**
     * Opens the journal, or, when it is configured on but cannot be opened, falls back as
     * {@code whenJournalUnavailable} says: refusing every value, or keeping values in memory. Either way the journal
     * is tried again every few seconds, and once it opens this component restarts with it.
     */
    private JournalBuffer open(BufferSettings settings) throws IOException {
        if (settings.journal()) {
            Path directory = settings.journalPath(dataDirectory);
            try {
                return openJournal(settings, directory);
            } catch (IOException | RuntimeException e) {
                return fallBack(settings, directory, e);
            }
        }
        return inMemory(settings);
    }

    private JournalBuffer openJournal(BufferSettings settings, Path directory) throws IOException {
        return JournalBuffer.open(settings, new FileStorage(directory, settings.segmentBytes(), settings.maxBytes(),
                settings.minFreeBytes()), directory, () -> backup, () -> ReceivedValue.micros(Instant.now()),
                Clock.systemUTC());
    }

    private JournalBuffer inMemory(BufferSettings settings) throws IOException {
        Storage heap = new HeapStorage(HEAP_SEGMENT_BYTES);
        return JournalBuffer.open(settings, heap, null, () -> backup, () -> ReceivedValue.micros(Instant.now()),
                Clock.systemUTC());
    }

    private JournalBuffer fallBack(BufferSettings settings, Path directory, Exception cause) throws IOException {
        JournalBuffer fallback = inMemory(settings);
        if (settings.whenJournalUnavailable() == UnavailablePolicy.REFUSE) {
            fallback.refuseAll(new Diagnosis("JOURNAL_UNAVAILABLE", "the journal cannot be opened, so every value "
                    + "is refused (whenJournalUnavailable=REFUSE): free space on the disk of the data directory or "
                    + "fix its permissions; it is tried again every " + RETRY.toSeconds() + " s", cause.toString()));
            LOG.error("The journal in {} cannot be opened ({}): every value is refused until it can. Free space on "
                    + "its disk or fix its permissions; it is tried again every {} s", directory, cause.toString(),
                    RETRY.toSeconds());
        } else {
            LOG.error("The journal in {} cannot be opened ({}): values are kept in memory only "
                    + "(whenJournalUnavailable=MEMORY), and a crash or a power cut loses them. Free space on its disk "
                    + "or fix its permissions; it is tried again every {} s", directory, cause.toString(),
                    RETRY.toSeconds());
        }
        retry = new JournalRetry(() -> tryJournal(settings, directory), RETRY);
        return fallback;
    }

    /**
     * Whether the journal opens now; it is closed again at once, and this component restarts to use it (with values
     * in memory, once every writer has written them).
     */
    private boolean tryJournal(BufferSettings settings, Path directory) {
        try {
            openJournal(settings, directory).close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("The journal in {} still cannot be opened: {}", directory, e.toString());
            return false;
        }
        LOG.info("The journal in {} can be opened again: the buffer restarts to use it", directory);
        if (settings.whenJournalUnavailable() == UnavailablePolicy.MEMORY) {
            buffer.whenDrained(this::restartWithWantedSettings);
        } else {
            restartWithWantedSettings();
        }
        return true;
    }

    private String describe(BufferSettings s) {
        return s.journal()
                ? "journal in " + s.journalPath(dataDirectory) + " (at most " + (s.maxBytes() >> 20) + " MB, sync "
                        + s.sync() + (s.sync() == SyncPolicy.PERIODIC ? " every " + s.syncInterval().toMillis() + " ms"
                                : "") + ")"
                : "in memory, capacity " + s.capacity() + " values (the journal is off)";
    }

    @Modified
    void modified(BufferConfig config) {
        List<String> problems = BufferSettings.problems(config);
        if (!problems.isEmpty()) {
            LOG.error("Configuration {} rejected, the buffer keeps its previous settings: {}", BufferConfig.PID,
                    String.join("; ", problems));
            return;
        }
        BufferSettings settings = BufferSettings.from(config);
        wanted = settings;
        buffer.reconfigure(settings.changesStorage(running, dataDirectory) ? keepStorage(settings) : settings);
        if (settings.changesStorage(running, dataDirectory)) {
            LOG.warn("Buffer: values are to be kept {} from now on; the current journal is drained first: the "
                    + "change applies once every writer has written its backlog", describe(settings));
            buffer.whenDrained(this::restartWithWantedSettings);
        } else {
            LOG.info("Buffer reconfigured: {}", describe(settings));
        }
    }

    /** The new settings, but where the values are kept now, until the backlog there is written. */
    private BufferSettings keepStorage(BufferSettings s) {
        return s.storedAs(running);
    }

    /** Restarts this component, which then opens the storage its configuration asks for. */
    private void restartWithWantedSettings() {
        String name = (String) context.getProperties().get("component.name");
        LOG.info("Buffer: the backlog is written; restarting to keep values {}", describe(wanted));
        Thread restart = new Thread(() -> {
            context.disableComponent(name);
            context.enableComponent(name);
        }, "tagbridge-buffer-restart");
        restart.setDaemon(true);
        restart.start();
    }

    @Deactivate
    void deactivate() {
        JournalRetry tries = retry;
        if (tries != null) {
            tries.close();
        }
        buffer.close();
        BufferStatus status = buffer.status();
        long backlog = status.targets().values().stream().mapToLong(t -> t.backlog()).sum();
        LOG.info("Buffer stopped: {} values accepted, {} refused since the journal began; {} values not yet "
                + "written {}", status.accepted(), status.refusedTotal(), backlog,
                status.journal() ? "stay in the journal" : "went to backup files");
    }

    @Override
    public IngestResult offer(TagValue value) {
        return refusalLog.note(buffer.offer(List.of(value)));
    }

    @Override
    public IngestResult offer(List<TagValue> values) {
        return refusalLog.note(buffer.offer(values));
    }

    @Override
    public CompletionStage<IngestResult> offerDurably(List<TagValue> values) {
        return buffer.offerDurably(values).thenApply(refusalLog::note);
    }

    @Override
    public TargetCursor open(String target, List<String> tagFilter) {
        return buffer.open(target, tagFilter);
    }

    @Override
    public void expect(String target, List<String> tagFilter) {
        buffer.expect(target, tagFilter);
    }

    @Override
    public void remove(String target) {
        buffer.remove(target);
    }

    @Override
    public BufferStatus status() {
        BufferStatus status = buffer.status();
        if (wanted.changesStorage(running, dataDirectory)) {
            return new BufferStatus(status.journal(), status.depth(), status.heldBytes(), status.fillPercent(),
                    status.offered(), status.accepted(), status.refused(), status.damagedBytes(), status.lastRefusal(),
                    status.targets(), Diagnosis.of("STORAGE_CHANGE_PENDING", "the buffer is to keep values "
                            + describe(wanted) + "; it waits until every writer has written the backlog where they "
                            + "are kept now (" + describe(running) + ")"), status.uncleanStops(), status.uncleanStop(),
                    status.clockSuspect(), status.filtered());
        }
        return status;
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
        LOG.error("Configuration {} rejected, the buffer starts with its defaults: {}", BufferConfig.PID,
                String.join("; ", problems));
        return BufferSettings.defaults();
    }
}
