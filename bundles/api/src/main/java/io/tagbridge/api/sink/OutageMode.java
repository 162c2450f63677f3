package io.tagbridge.api.sink;

/** What a target does with a batch its sink does not take after all retries. */
public enum OutageMode {
    /** It stays in the journal; the target probes its sink and catches up, in order, when it answers. */
    KEEP,
    /** It goes to a backup file; with the journal off this is what happens anyway. */
    BACKUP
}
