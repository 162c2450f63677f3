package io.tagbridge.buffer;

/** What the buffer does when a driver offers more than it has room for. */
public enum OverflowPolicy {
    /** Make the driver wait for room, up to the block timeout, then refuse. Nothing buffered is lost. */
    BLOCK,
    /** Refuse the new values at once; the driver keeps them. */
    REJECT_NEWEST,
    /** Discard the oldest buffered values to make room; each one discarded is counted. */
    DROP_OLDEST
}
