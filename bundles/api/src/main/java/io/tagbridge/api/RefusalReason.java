package io.tagbridge.api;

/** Why values were refused at the door. Each refused value is counted under one of these in the metrics. */
public enum RefusalReason {
    /** Tagbridge holds as much as it may; the database is slow or unreachable. Offer them again later. */
    BUFFER_FULL,
    /** More values at once than Tagbridge can ever hold; offer fewer at a time. */
    TOO_LARGE,
    /** No target's tag filter takes the tag, so no database would ever receive it. */
    NO_TARGET,
    /** The values are malformed (a producer outside the JVM sent something that is not a tag value). */
    INVALID,
    /** Tagbridge is stopping; offer them again once it runs. */
    STOPPING,
    /**
     * The journal cannot be opened or written (no space, no permission, an I/O error), or its sync to disk failed
     * or took too long: Tagbridge cannot keep the values as configured. Offer them again later; health says what
     * to fix.
     *
     * @since 2.1
     */
    JOURNAL_UNAVAILABLE,
    /**
     * A value's source time is before the gateway's clock floor or too far ahead of its clock: a device's or the
     * gateway's clock is wrong (1970, a stale time after a start), and the value would be stored under a wrong key.
     * Set the clock (NTP); the buffer's clockPolicy says what else may be done with such values.
     *
     * @since 2.2
     */
    CLOCK_SUSPECT
}
