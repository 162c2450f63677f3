package io.tagbridge.api.pipeline;

import java.nio.file.Path;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** Keeps values the database did not take, so that they can be replayed later. */
@ProviderType
public interface BatchBackup {

    /**
     * Writes the values durably in one file that appears complete or not at all.
     *
     * @param target the target they were meant for
     * @param reason why they are backed up, kept beside them for the operator
     * @return the file written
     * @throws BackupException when the file cannot be written (disk full, no permission); nothing was kept
     */
    Path save(String target, List<ReceivedValue> values, String reason) throws BackupException;

    /** The directory files go to. */
    Path directory();

    /**
     * The complete backup files in {@link #directory()}, oldest first; files still being written are not
     * listed.
     *
     * @throws BackupException when the directory cannot be read
     */
    List<Path> files() throws BackupException;

    /**
     * Reads a backup file back: the values exactly as they were saved, for replay or to verify a run.
     *
     * @throws BackupException when the file cannot be read or is not a Tagbridge backup file; the message
     *                         names the file and the line
     */
    List<ReceivedValue> read(Path file) throws BackupException;
}
