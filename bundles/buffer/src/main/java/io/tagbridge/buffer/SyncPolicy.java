package io.tagbridge.buffer;

/** When the journal is synced to disk, and so what a power cut can take. */
public enum SyncPolicy {
    /** Every sync interval (200 ms by default), for all values accepted meanwhile at once. */
    PERIODIC,
    /** Before an offer returns: a power cut takes nothing accepted. Offers arriving together share one sync. */
    ON_ACCEPT
}
