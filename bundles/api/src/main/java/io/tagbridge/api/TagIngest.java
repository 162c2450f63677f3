package io.tagbridge.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The service a driver calls to hand over tag values. It is safe to call from many threads at once.
 *
 * <p>A value that is accepted is Tagbridge's responsibility from then on: it ends up in the database or in a
 * backup file. A value that is refused stays the driver's: the buffer was full (or stopping) and the reason
 * says so. Depending on the configured overflow policy a call may wait a bounded time for room.
 */
@ProviderType
public interface TagIngest {

    /** Offers one value. */
    IngestResult offer(TagValue value);

    /** Offers several values at once: all of them are accepted, or none is. */
    IngestResult offer(List<TagValue> values);
}
