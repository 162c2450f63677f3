package io.tagbridge.api.pipeline;

import java.nio.file.Path;
import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A backup file as an operator sees it.
 *
 * @param id           its path under the backup directory, with {@code /} between names: {@code <target>/<file>}
 *                     while pending, {@code replayed/<target>/<file>} and {@code quarantine/<target>/<file>}
 *                     afterwards. REST and the shell name files by it
 * @param target       the target its values are meant for
 * @param state        where it stands
 * @param rows         values in it
 * @param rowsReplayed values of it already in the database (or quarantined)
 * @param bytes        its size on disk
 * @param created      when its first row was written
 * @param open         whether it is still being written ({@code .part}); it is replayed once closed
 * @param lastError    why its last replay attempt stopped, or why it is quarantined; empty when none
 * @param path         where it is on disk
 */
@ProviderType
public record BackupFile(String id, String target, BackupState state, long rows, long rowsReplayed, long bytes,
        Instant created, boolean open, String lastError, Path path) {
}
