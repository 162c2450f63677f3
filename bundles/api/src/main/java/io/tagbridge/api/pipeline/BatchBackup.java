package io.tagbridge.api.pipeline;

import java.nio.file.Path;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** Keeps batches the database did not take, so that an operator can replay them later. */
@ProviderType
public interface BatchBackup {

    /**
     * Writes the values durably in one file that appears complete or not at all.
     *
     * @param reason why the batch is backed up, kept beside it for the operator
     * @return the file written
     * @throws BackupException when the file cannot be written (disk full, no permission); nothing was kept
     */
    Path save(List<ReceivedValue> values, String reason) throws BackupException;

    /** The directory files go to. */
    Path directory();
}
