package io.tagbridge.api.pipeline;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A value of a backup file as read back for an operator.
 *
 * @param index  its place in the file, from 0
 * @param value  the value exactly as it was saved
 * @param reason why it was saved: the outage, or for a quarantined row the database's error
 */
@ProviderType
public record BackupRow(long index, ReceivedValue value, String reason) {
}
