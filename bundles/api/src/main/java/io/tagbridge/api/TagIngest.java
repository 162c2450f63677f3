package io.tagbridge.api;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The service a driver calls to hand over tag values. It is safe to call from many threads at once.
 *
 * <p>A value that is accepted is Tagbridge's responsibility from then on: it ends up in the database or in a
 * backup file. A value that is refused stays the driver's: the reason says why. Depending on the configured
 * overflow policy a call may wait a bounded time for room.
 *
 * <p>Two kinds of offer, which differ in what a power cut can take:
 * <ul>
 * <li>{@link #offer(List)} answers as soon as the values are in the journal, in the operating system's hands: a
 * crash of the gateway cannot take them, a power cut can take those accepted since the journal's last sync (at
 * most its sync interval, 200 ms by default). With the buffer's {@code sync=ON_ACCEPT} it answers after the sync.
 * <li>{@link #offerDurably(List)} answers once the values are on disk, whatever the buffer's sync setting.
 * </ul>
 * {@link IngestResult#durable()} says which one an answer is.
 */
@ProviderType
public interface TagIngest {

    /** Offers one value; see {@link #offer(List)}. */
    IngestResult offer(TagValue value);

    /**
     * Offers several values at once: all of them are accepted, or none is. Returns once they are in the journal
     * (or, with {@code sync=ON_ACCEPT}, once they are on disk).
     */
    IngestResult offer(List<TagValue> values);

    /**
     * Offers several values at once, all or none, and completes once they are on disk: after the journal's sync
     * that covers them, which every offer waiting at that moment shares. It does not block the caller.
     *
     * <p>The stage never completes exceptionally. A refusal completes it refused, as {@link #offer(List)} would
     * answer; so does a sync that fails or takes too long ({@link RefusalReason#JOURNAL_UNAVAILABLE}): the values
     * may still reach the database, and offering them again is safe, since a value's key is its tag and source
     * time. With the journal off, it completes accepted but not {@link IngestResult#durable() durable}.
     * Callbacks attached to the stage never run on the journal's sync thread.
     *
     * @since 2.1
     */
    default CompletionStage<IngestResult> offerDurably(List<TagValue> values) {
        return CompletableFuture.completedFuture(offer(values));
    }
}
