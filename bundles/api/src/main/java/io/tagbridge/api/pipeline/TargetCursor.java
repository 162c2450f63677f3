package io.tagbridge.api.pipeline;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One target's place in the buffer. The writer takes values with {@link #next}, writes them, and then settles
 * them: only settled values are ever given up by the buffer. Values taken but not settled are taken again by the
 * next cursor of the target (after a restart, too). Used by one thread at a time.
 */
@ProviderType
public interface TargetCursor extends AutoCloseable {

    String target();

    /** Whether the values survive a crash of the gateway (the journal is on). */
    boolean persistent();

    /**
     * Waits until at least {@code max} values are ready, or the timeout passes, or {@link #wake} is called, then
     * moves up to {@code max} values, oldest first, into {@code sink}.
     *
     * @return how many values were moved
     */
    int next(Collection<? super ReceivedValue> sink, int max, long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Whether the values the last {@link #next} moved may have been handed out before: given back by
     * {@link #rewind}, taken by an earlier cursor of the target, or read from the journal after a restart. A
     * writer may have committed them already without knowing, so it writes them through its duplicate-safe path.
     */
    boolean repeating();

    /**
     * Settles the oldest values taken and not yet settled: {@code written + alreadyStored + backedUp} of them,
     * which must be whole batches as {@link #next} handed them out.
     *
     * @param durable whether they are safe from a power cut now: committed in a database whose commits are
     *                durable (Oracle), or saved to a synced backup file. When false, {@link #durable} says later
     */
    void settle(int written, int alreadyStored, int backedUp, boolean durable);

    /** Everything settled so far is now durable (the database synced its commits to disk). */
    void durable();

    /**
     * Gives back the values taken and not settled: the next {@link #next} takes them again, in the same order. A
     * writer that keeps values in the buffer during an outage gives its batch back while it waits.
     */
    void rewind();

    /**
     * The target's live lane, for a writer that writes the present first: while the target's oldest unsettled
     * value is older than {@code olderThan}, the values accepted from then on are handed out by the lane instead
     * of this cursor, in acceptance order, so that they need not wait behind the backlog. This cursor hands out
     * the older values only; once it has caught up it takes over what the lane settled (never handing it out
     * again) and the lane waits until the backlog is old again. A batch the lane cannot write whole is given back
     * with {@link #rewind}: this cursor then writes it, through the duplicate-safe path. The lane backs nothing
     * up. Closing this cursor stops the lane's values too; close the lane before or with it.
     *
     * @return the lane, or null when the buffer has none (the default)
     * @throws IllegalStateException when the lane is open already
     */
    default TargetCursor live(Duration olderThan) {
        return null;
    }

    /**
     * Keeps the target's values at most {@code maxAge} after they were accepted: older ones, in the journal and in
     * the target's backup files, are counted as dropped ({@link DropReason#EXPIRED}), and with {@code archive}
     * first saved to an archive file that is never replayed. Age is counted by the time that passed on the
     * gateway, so that its clock jumping forward expires nothing at once. Null: keep them however old (the
     * default).
     *
     * @since 2.2
     */
    default void expireAfter(Duration maxAge, boolean archive) {
    }

    /** Wakes a writer waiting in {@link #next}, for example so that it can stop. */
    void wake();

    /** The writer stops; what it took and did not settle is taken again by the next cursor. */
    @Override
    void close();
}
