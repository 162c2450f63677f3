package io.tagbridge.api;

import org.osgi.annotation.versioning.ProviderType;

/** TagIngest without {@code offer(List)}: a change that breaks every driver that offers lists. */
@ProviderType
public interface TagIngest {

    IngestResult offer(TagValue value);
}
