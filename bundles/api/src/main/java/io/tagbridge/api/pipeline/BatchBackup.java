package io.tagbridge.api.pipeline;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Keeps values the database did not take, in files per target, and hands them back to their target's writer
 * for replay.
 *
 * <p>The replay protocol: a writer asks for its {@link #nextReplay next chunk}, writes it through its
 * duplicate-safe path, {@link #quarantine quarantines} the rows the database refuses, and then reports the chunk
 * {@link #replayed}. A chunk never reported (the writer failed, the gateway stopped) comes again, so a file is
 * replayed at least once and, with duplicate-safe writes, stored exactly once.
 */
@ProviderType
public interface BatchBackup {

    /**
     * Appends the values to the target's open backup file and syncs it to disk before returning.
     *
     * @param target the target they were meant for
     * @param reason why they are backed up, kept beside them for the operator
     * @return the file written
     * @throws BackupException when they cannot be written (disk full, folder at its maximum size, no permission);
     *                         nothing was kept
     */
    Path save(String target, List<ReceivedValue> values, String reason) throws BackupException;

    /** The directory files go to. */
    Path directory();

    /** The folder at a glance: pending and quarantined files, size and limits, and what needs an operator. */
    BackupStatus status();

    /**
     * Every backup file: pending (oldest first), then replayed, then quarantined.
     *
     * @throws BackupException when the directory cannot be read
     */
    List<BackupFile> files() throws BackupException;

    /**
     * Reads a backup file back: the values exactly as they were saved.
     *
     * @throws BackupException when the file cannot be read or is not a Tagbridge backup file; the message
     *                         names the file and the line
     */
    List<ReceivedValue> read(Path file) throws BackupException;

    /**
     * The next values the target should replay: from its oldest closed pending file, after what was reported
     * replayed. Empty when it has nothing to replay, or automatic replay is off and no operator asked for one.
     */
    default Optional<ReplayChunk> nextReplay(String target, int max) throws BackupException {
        return Optional.empty();
    }

    /** Every value of the chunk is in the database now, or quarantined: the file's replay moves past it. */
    default void replayed(ReplayChunk chunk) throws BackupException {
        throw new BackupException("this backup does not replay", null);
    }

    /**
     * Sets aside values of a chunk that the database refused again, with its error, in {@code quarantine/}.
     * Report the chunk {@link #replayed} afterwards.
     */
    default void quarantine(ReplayChunk chunk, List<ReceivedValue> values, String reason) throws BackupException {
        throw new BackupException("this backup does not quarantine", null);
    }

    /** The chunk could not be written now (the database is unavailable); the file waits and shows the error. */
    default void replayFailed(ReplayChunk chunk, String error) {
    }

    /**
     * Asks for a replay now: of one file by its id, or of every file when {@code id} is null. A quarantined file
     * goes back to pending (after the operator fixed what the database refused). Works with automatic replay off.
     *
     * @return how many files were queued
     * @throws BackupException when there is no such file
     */
    default int replay(String id) throws BackupException {
        throw new BackupException("this backup does not replay", null);
    }

    /**
     * Reads rows of a closed file, by its id, in the file's order: up to {@code max} of them from the
     * {@code from}th, one at a time, so that a file of any size reads in bounded memory.
     *
     * @return how many rows were handed to {@code each}
     * @throws BackupException when there is no such file, or a row cannot be read; the message names the line,
     *                         after the rows before it were handed over
     */
    default long rows(String id, long from, long max, Consumer<BackupRow> each) throws BackupException {
        throw new BackupException("this backup does not read files for operators", null);
    }

    /**
     * A closed file's bytes as they are on disk, by its id: the backup format, which {@code replay} reads back on
     * any gateway. The caller closes the stream.
     *
     * @throws BackupException when there is no such file or it cannot be opened
     */
    default InputStream open(String id) throws BackupException {
        throw new BackupException("this backup does not open files for operators", null);
    }

    /**
     * Saves values that expired (see {@link TargetCursor#expireAfter}) to a compressed file under {@code archive/},
     * which is never replayed and counts within the folder's limits.
     *
     * @return the file written
     * @throws BackupException when they cannot be written; nothing was kept
     */
    default Path archive(String target, List<ReceivedValue> values, String reason) throws BackupException {
        throw new BackupException("this backup does not archive", null);
    }

    /**
     * Takes out of the target's closed pending files the values received before {@code receivedBefore}, a whole
     * file at a time (a file whose newest value is older), and with {@code archive} moves them to
     * {@code archive/}; they are counted in {@link BackupStatus#expiredValues()}.
     *
     * @return how many values expired
     */
    default long expire(String target, Instant receivedBefore, boolean archive) throws BackupException {
        return 0;
    }

    /**
     * Deletes a file by its id, with every value in it.
     *
     * @return how many values it held
     * @throws BackupException when there is no such file or it cannot be deleted
     */
    default long delete(String id) throws BackupException {
        throw new BackupException("this backup does not delete files", null);
    }
}
