package io.tagbridge.api.pipeline;

/** Why accepted values were given up for a target. Each such value is counted under one of these. */
public enum DropReason {
    /** The buffer was full and its overflow policy is DROP_OLDEST. */
    OVERFLOW,
    /** The target's configuration was deleted and its cursor released. */
    TARGET_DELETED,
    /** The journal's bytes holding them were damaged on disk. */
    JOURNAL_DAMAGED,
    /**
     * They were accepted longer ago than their target keeps values (its maximum age), and were dropped or moved
     * to an archive file, which is never replayed (since 2.2).
     */
    EXPIRED
}
