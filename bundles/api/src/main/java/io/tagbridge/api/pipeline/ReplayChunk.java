package io.tagbridge.api.pipeline;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The next values of a pending backup file, handed to its target's writer to write again.
 *
 * @param file   the file's {@link BackupFile#id() id}
 * @param target the target that replays it
 * @param first  how many of the file's values come before these
 * @param values the values, in the file's order
 */
@ProviderType
public record ReplayChunk(String file, String target, long first, List<ReceivedValue> values) {

    public ReplayChunk {
        values = List.copyOf(values);
    }
}
