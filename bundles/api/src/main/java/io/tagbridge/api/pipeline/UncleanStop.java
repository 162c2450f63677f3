package io.tagbridge.api.pipeline;

import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a start found of the stop before it, when that stop was not clean: a power cut, a crash or a kill. Values
 * accepted after the journal's last sync to disk may have been lost, if the power was cut.
 *
 * @param detectedAt  when this start found it
 * @param lastSync    the newest sync of the journal to disk found; null when none was found
 * @param newestFound when the newest value found in the journal was accepted; null when none was found
 * @since 2.1
 */
@ProviderType
public record UncleanStop(Instant detectedAt, Instant lastSync, Instant newestFound) {
}
