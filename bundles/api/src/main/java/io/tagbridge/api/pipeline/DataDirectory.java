package io.tagbridge.api.pipeline;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The one directory where a gateway keeps what it must not lose across restarts: the embedded database, the
 * configuration store, the journal and the counters. While the service is registered, this process alone uses
 * the directory.
 */
@ProviderType
public interface DataDirectory {

    /** The framework property that names the directory; without it, Karaf's {@code karaf.data}, else {@code ./data}. */
    String PROPERTY = "tagbridge.data";

    /** The directory, absolute; it exists. */
    Path path();
}
