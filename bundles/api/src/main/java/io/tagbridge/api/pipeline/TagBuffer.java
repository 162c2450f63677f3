package io.tagbridge.api.pipeline;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

import io.tagbridge.api.RefusalReason;

/**
 * The writers' side of the buffer that drivers fill through {@link io.tagbridge.api.TagIngest}. Every target
 * reads every value it takes through a cursor of its own, so a slow or dead target never holds back another.
 */
@ProviderType
public interface TagBuffer {

    /**
     * Opens the target's cursor. A target the buffer knows (it ran before, even before a restart) goes on where
     * it was; a new one starts with the values offered from now on.
     *
     * @param target    the target's unique name
     * @param tagFilter globs of the tag names the target takes ({@code *} matches any run of characters, {@code ?}
     *                  one character); empty takes every value
     * @throws IllegalStateException when the target's cursor is open already
     */
    TargetCursor open(String target, List<String> tagFilter);

    /**
     * The target exists (its configuration does), although its writer does not read yet, for example because its
     * pool is not running: values it takes are kept for it from now on. A known target keeps its place, and takes
     * the given filter.
     */
    void expect(String target, List<String> tagFilter);

    /**
     * The target's configuration was deleted: its cursor is released after the buffer's configured delay, and
     * what it had not settled by then is counted as dropped for it. Opening it again before then keeps it.
     */
    void remove(String target);

    BufferStatus status();

    /**
     * Counts values that a door in front of the buffer refused before offering them, such as malformed values
     * posted over HTTP, so that every value offered is counted at the door once: accepted or refused with a reason.
     */
    void countRefused(int values, RefusalReason reason, String detail);
}
