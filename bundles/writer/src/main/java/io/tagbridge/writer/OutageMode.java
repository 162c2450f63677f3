package io.tagbridge.writer;

/** What a writer does with a batch the database does not take after all retries. */
public enum OutageMode {
    /** It stays in the journal; the writer probes the database and catches up, in order, when it answers. */
    KEEP,
    /** It goes to a backup file, as the seed did; with the journal off this is what happens anyway. */
    BACKUP
}
