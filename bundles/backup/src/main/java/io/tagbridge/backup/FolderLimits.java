package io.tagbridge.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.pipeline.BackupStatus;
import io.tagbridge.api.pipeline.Diagnosis;

/**
 * Keeps the backup folder within its maximum size and its disk above its minimum free space. Replayed files, kept
 * for an audit only, are deleted first to make room; when that is not enough, backups are refused and the values
 * stay where they are (the journal). What stops backups shows in {@link #status}.
 */
final class FolderLimits {

    /** A generous guess of a row's size on disk, to refuse a batch before it would cross a limit. */
    private static final long BYTES_PER_ROW = 200;
    private static final Logger LOG = LoggerFactory.getLogger(FolderLimits.class);

    private final BackupSettings settings;
    private volatile long bytes;
    private volatile Diagnosis stopped;

    FolderLimits(BackupSettings settings) {
        this.settings = settings;
    }

    void check(int rows) throws FolderFullException {
        long needed = rows * BYTES_PER_ROW;
        if (bytes + needed > settings.maxBytes()) {
            recount();
            if (bytes + needed > settings.maxBytes() && deleteReplayed(bytes + needed - settings.maxBytes())) {
                recount();
            }
            if (bytes + needed > settings.maxBytes()) {
                refuse(Diagnosis.of("BACKUP_FULL", "the backup folder " + settings.directory() + " holds "
                        + megabytes(bytes) + " MB, its maximum (maxMegabytes " + megabytes(settings.maxBytes())
                        + "): new backups are refused and values stay in the journal. Let the writers replay the "
                        + "pending files, delete files you do not need (archive/ holds expired values), or raise "
                        + "maxMegabytes"));
            }
        }
        long free = free();
        if (free - needed < settings.minFreeBytes()) {
            refuse(Diagnosis.of("BACKUP_DISK_LOW", "the disk of the backup folder " + settings.directory()
                    + " has " + megabytes(free) + " MB free, at its minimum (minFreeMegabytes "
                    + megabytes(settings.minFreeBytes()) + "): new backups are refused and values stay in the "
                    + "journal. Free disk space, or move the backup directory to a larger disk"));
        }
    }

    private void refuse(Diagnosis why) throws FolderFullException {
        if (stopped == null || !stopped.reason().equals(why.reason())) {
            LOG.error("Backup: {}", why.advice());
        }
        stopped = why;
        throw new FolderFullException(why.advice());
    }

    void saved() {
        if (stopped != null) {
            LOG.info("Backup: backups are written again");
            stopped = null;
        }
        recount();
    }

    void failed(IOException e) {
        Diagnosis why = Diagnosis.of("BACKUP_FAILING", "backup files cannot be written in " + settings.directory()
                + " (" + e + "): check that the gateway may write there and that the disk is not full");
        if (stopped == null || !stopped.reason().equals(why.reason())) {
            LOG.error("Backup: {}", why.advice());
        }
        stopped = why;
    }

    void recount() {
        try (Stream<Path> all = Files.walk(settings.directory())) {
            bytes = all.filter(Files::isRegularFile).mapToLong(FolderLimits::size).sum();
        } catch (IOException | RuntimeException e) {
            // Keep the last count; the next one may succeed.
        }
    }

    /** Deletes replayed files, oldest first, until {@code excess} bytes are free. */
    private boolean deleteReplayed(long excess) {
        List<Path> replayed = BackupFolder.files(settings.directory().resolve(BackupFolder.REPLAYED), 2);
        long freed = 0;
        for (Path file : replayed) {
            if (freed >= excess) {
                break;
            }
            long size = size(file);
            try {
                Files.deleteIfExists(file);
                freed += size;
                LOG.info("Backup: deleted the replayed file {} early to stay within maxMegabytes", file);
            } catch (IOException e) {
                LOG.warn("Backup: could not delete the replayed file {} ({})", file, e.toString());
            }
        }
        return freed > 0;
    }

    BackupStatus status(int pendingFiles, long pendingValues, int quarantinedFiles, long quarantinedValues,
            Diagnosis quarantined, long expiredValues, int archivedFiles) {
        Diagnosis why = stopped != null ? stopped
                : quarantined != null ? quarantined
                        : Diagnosis.of("BACKUP_OK", pendingFiles == 0 ? "no backup files wait"
                                : pendingFiles + " backup files wait to be replayed");
        return new BackupStatus(settings.directory(), pendingFiles, pendingValues, quarantinedFiles,
                quarantinedValues, bytes, settings.maxBytes(), free(), why, expiredValues, archivedFiles);
    }

    private long free() {
        try {
            return Files.getFileStore(settings.directory()).getUsableSpace();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static long megabytes(long bytes) {
        return bytes / (1024 * 1024);
    }
}
