package io.tagbridge.backup;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.BackupException;
import io.tagbridge.api.pipeline.BatchBackup;

/** The CSV backup as a service. */
@Component(configurationPid = BackupConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = BackupConfig.class)
public class CsvBackupComponent implements BatchBackup {

    private static final Logger LOG = LoggerFactory.getLogger(CsvBackupComponent.class);

    private volatile BackupFiles files;

    @Activate
    public CsvBackupComponent(BackupConfig config) {
        this.files = files(config);
    }

    /** Applied in place: a new directory must not restart the buffer and writers that use this service. */
    @Modified
    void modified(BackupConfig config) {
        files = files(config);
        LOG.info("Backups now go to {}", files.directory());
    }

    private static BackupFiles files(BackupConfig config) {
        String directory = config.directory();
        if (directory == null || directory.isBlank()) {
            LOG.error("Configuration {} rejected: directory is empty; backups go to ./backup", BackupConfig.PID);
            directory = "./backup";
        }
        return new BackupFiles(Paths.get(directory.trim()).toAbsolutePath().normalize(), Clock.systemUTC());
    }

    @Override
    public Path save(String target, List<ReceivedValue> values, String reason) throws BackupException {
        BackupFiles files = this.files;
        try {
            Path file = files.write(values, reason);
            LOG.warn("Backed up {} values of target {} to {}: {}", values.size(), target, file, reason);
            return file;
        } catch (IOException e) {
            throw new BackupException("could not write a backup file in " + files.directory() + " (" + e
                    + "); check that the directory is writable and the disk has free space, or set "
                    + BackupConfig.PID + " directory to another disk", e);
        }
    }

    @Override
    public Path directory() {
        return files.directory();
    }

    @Override
    public List<Path> files() throws BackupException {
        BackupFiles files = this.files;
        try {
            return files.list();
        } catch (IOException e) {
            throw new BackupException("could not list the backup files in " + files.directory() + " (" + e
                    + "); check that the directory exists and is readable", e);
        }
    }

    @Override
    public List<ReceivedValue> read(Path file) throws BackupException {
        try {
            return BackupFiles.read(file);
        } catch (IOException | RuntimeException e) {
            throw new BackupException("could not read the backup file " + file + ": " + e.getMessage()
                    + ". Check that it is a Tagbridge backup file and has not been edited", e);
        }
    }
}
