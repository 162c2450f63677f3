package io.tagbridge.api.pipeline;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The backup folder at a glance, for health and metrics.
 *
 * @param directory         where it is
 * @param pendingFiles      files waiting to be replayed, the ones being written included
 * @param pendingValues     values in them not yet replayed
 * @param quarantinedFiles  files in {@code quarantine/}
 * @param quarantinedValues values in them
 * @param bytes             the folder's size, replayed and quarantined files included
 * @param maxBytes          the most it may hold
 * @param freeBytes         free space on its disk
 * @param diagnosis         {@code BACKUP_OK}, or what needs an operator: {@code BACKUP_FULL}, {@code BACKUP_DISK_LOW},
 *                          {@code BACKUP_FAILING}, {@code QUARANTINED}
 * @param expiredValues     values of pending files that expired since the start (older than their target keeps
 *                          values), dropped or archived (since 2.2)
 * @param archivedFiles     files in {@code archive/}, which are never replayed (since 2.2)
 */
@ProviderType
public record BackupStatus(Path directory, int pendingFiles, long pendingValues, int quarantinedFiles,
        long quarantinedValues, long bytes, long maxBytes, long freeBytes, Diagnosis diagnosis, long expiredValues,
        int archivedFiles) {

    /** A status of 2.1, which knew no expiry. */
    public BackupStatus(Path directory, int pendingFiles, long pendingValues, int quarantinedFiles,
            long quarantinedValues, long bytes, long maxBytes, long freeBytes, Diagnosis diagnosis) {
        this(directory, pendingFiles, pendingValues, quarantinedFiles, quarantinedValues, bytes, maxBytes, freeBytes,
                diagnosis, 0, 0);
    }
}
