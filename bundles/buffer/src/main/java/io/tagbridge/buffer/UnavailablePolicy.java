package io.tagbridge.buffer;

/** What the buffer does when its journal is configured on but cannot be opened. */
public enum UnavailablePolicy {
    /** Values are refused ({@code JOURNAL_UNAVAILABLE}) until the journal can be opened: nothing is acknowledged that
     * the configured durability cannot keep. */
    REFUSE,
    /** Values are kept in memory meanwhile, and acknowledged as not durable: a crash or a power cut loses them. */
    MEMORY
}
