package io.tagbridge.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.pipeline.BackupException;
import io.tagbridge.api.pipeline.BackupFile;
import io.tagbridge.api.pipeline.BackupRow;
import io.tagbridge.api.pipeline.BackupStatus;
import io.tagbridge.api.pipeline.BatchBackup;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.ReplayChunk;

/** The CSV backup as a service: files per target that roll by time and size, and their replay. */
@Component(configurationPid = BackupConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = BackupConfig.class)
public class CsvBackupComponent implements BatchBackup {

    private static final Logger LOG = LoggerFactory.getLogger(CsvBackupComponent.class);
    private static final long MAINTAIN_EVERY_SECONDS = 5;

    private final ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tagbridge-backup-maintenance");
        t.setDaemon(true);
        return t;
    });
    private volatile BackupFolder folder;

    @Activate
    public CsvBackupComponent(BackupConfig config) throws IOException {
        this.folder = open(config);
        maintenance.scheduleWithFixedDelay(this::maintain, MAINTAIN_EVERY_SECONDS, MAINTAIN_EVERY_SECONDS,
                TimeUnit.SECONDS);
    }

    /** A scheduled task that throws is never run again, silently: nothing may escape it. */
    private void maintain() {
        try {
            folder.maintain();
        } catch (Throwable e) { // NOPMD: the backup folder's upkeep must not stop without anyone knowing
            LOG.error("Backup: keeping the folder failed and is tried again in {} s", MAINTAIN_EVERY_SECONDS, e);
        }
    }

    /** Applied in place: new settings must not restart the buffer and writers that use this service. */
    @Modified
    void modified(BackupConfig config) throws IOException {
        BackupFolder previous = folder;
        folder = open(config);
        previous.close();
        LOG.info("Backups now go to {}", folder.directory());
    }

    @Deactivate
    void deactivate() {
        maintenance.shutdownNow();
        folder.close();
    }

    private static BackupFolder open(BackupConfig config) throws IOException {
        List<String> problems = BackupSettings.problems(config);
        BackupSettings settings;
        if (problems.isEmpty()) {
            settings = BackupSettings.from(config);
        } else {
            settings = BackupSettings.defaults();
            LOG.error("Configuration {} rejected: {}. Backups use the defaults in {} until it is fixed",
                    BackupConfig.PID, String.join("; ", problems), settings.directory());
        }
        return new BackupFolder(settings, Clock.systemUTC());
    }

    @Override
    public Path save(String target, List<ReceivedValue> values, String reason) throws BackupException {
        BackupFolder folder = this.folder;
        try {
            return folder.save(target, values, reason);
        } catch (FolderFullException e) {
            throw new BackupException(e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new BackupException("could not write a backup file in " + folder.directory() + " (" + e
                    + "); check that the directory is writable and the disk has free space, or set "
                    + BackupConfig.PID + " directory to another disk", e);
        }
    }

    @Override
    public Path directory() {
        return folder.directory();
    }

    @Override
    public BackupStatus status() {
        return folder.status();
    }

    @Override
    public List<BackupFile> files() throws BackupException {
        BackupFolder folder = this.folder;
        try {
            return folder.files();
        } catch (IOException | UncheckedIOException e) {
            throw new BackupException("could not list the backup files in " + folder.directory() + " (" + e
                    + "); check that the directory exists and is readable", e);
        }
    }

    @Override
    public List<ReceivedValue> read(Path file) throws BackupException {
        try {
            return folder.read(file);
        } catch (IOException | RuntimeException e) {
            throw new BackupException("could not read the backup file " + file + ": " + e.getMessage()
                    + ". Check that it is a Tagbridge backup file and has not been edited", e);
        }
    }

    @Override
    public Optional<ReplayChunk> nextReplay(String target, int max) throws BackupException {
        try {
            return folder.nextReplay(target, max);
        } catch (IOException | UncheckedIOException e) {
            throw new BackupException("could not read the backup files of target " + target + " (" + e
                    + "); check that " + folder.directory() + " is readable", e);
        }
    }

    @Override
    public void replayed(ReplayChunk chunk) throws BackupException {
        try {
            folder.replayed(chunk);
        } catch (IOException e) {
            throw new BackupException("could not record the replay of " + chunk.file() + " (" + e
                    + "); check that the backup directory is writable", e);
        }
    }

    @Override
    public void quarantine(ReplayChunk chunk, List<ReceivedValue> values, String reason) throws BackupException {
        try {
            folder.quarantine(chunk, values, reason);
        } catch (IOException e) {
            throw new BackupException("could not write to the quarantine folder of " + folder.directory() + " ("
                    + e + "); check that it is writable and the disk has free space", e);
        }
    }

    @Override
    public void replayFailed(ReplayChunk chunk, String error) {
        folder.replayFailed(chunk, error);
    }

    @Override
    public int replay(String id) throws BackupException {
        try {
            return folder.replay(id);
        } catch (UnknownFileException e) {
            throw new BackupException(e.getMessage(), e);
        } catch (IOException | UncheckedIOException e) {
            throw new BackupException("could not queue " + (id == null ? "the backup files" : id) + " for replay ("
                    + e + "); check that the backup directory is writable", e);
        }
    }

    @Override
    public Path archive(String target, List<ReceivedValue> values, String reason) throws BackupException {
        try {
            return folder.archive(target, values, reason);
        } catch (FolderFullException e) {
            throw new BackupException(e.getMessage(), e);
        } catch (IOException e) {
            throw new BackupException("could not write an archive file in " + folder.directory() + " (" + e
                    + "); check that the gateway may write there and that the disk is not full", e);
        }
    }

    @Override
    public long expire(String target, Instant receivedBefore, boolean archive) throws BackupException {
        try {
            return folder.expire(target, receivedBefore, archive);
        } catch (FolderFullException e) {
            throw new BackupException(e.getMessage(), e);
        } catch (IOException | UncheckedIOException e) {
            throw new BackupException("could not expire the backup files of target " + target + " in "
                    + folder.directory() + " (" + e + "); check that the gateway may write there", e);
        }
    }

    @Override
    public long rows(String id, long from, long max, Consumer<BackupRow> each) throws BackupException {
        try {
            return folder.rows(id, from, max, each);
        } catch (UnknownFileException e) {
            throw new BackupException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new BackupException("backup file " + id + " cannot be read further, at " + e.getMessage()
                    + ": download it as CSV to see it whole, and delete it or mend that line", e);
        } catch (IOException | UncheckedIOException e) {
            throw new BackupException("could not read " + id + " (" + e + "); check that the backup directory is "
                    + "readable", e);
        }
    }

    @Override
    public InputStream open(String id) throws BackupException {
        try {
            return folder.open(id);
        } catch (UnknownFileException e) {
            throw new BackupException(e.getMessage(), e);
        } catch (IOException e) {
            throw new BackupException("could not open " + id + " (" + e + "); check that the backup directory is "
                    + "readable", e);
        }
    }

    @Override
    public long delete(String id) throws BackupException {
        try {
            return folder.delete(id);
        } catch (UnknownFileException e) {
            throw new BackupException(e.getMessage(), e);
        } catch (IOException | UncheckedIOException e) {
            throw new BackupException("could not delete " + id + " (" + e + "); check the permissions of the "
                    + "backup directory", e);
        }
    }
}
