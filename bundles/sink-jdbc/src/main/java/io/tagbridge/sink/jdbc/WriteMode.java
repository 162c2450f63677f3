package io.tagbridge.sink.jdbc;

/** How rows go into the table, and what a batch written twice (after a retry or a replay) does. */
public enum WriteMode {
    /**
     * INSERT with JDBC batching, at plain INSERT speed. A batch that meets a stored row (the primary key refuses
     * it) is rolled back and written again the duplicate-safe way: the stored rows of its keys are looked up,
     * compared, and only new rows inserted. Retries, replays and catch-up after a restart take the duplicate-safe
     * way at once. The default.
     */
    INSERT_FIRST,
    /** MERGE on (tag name, source time): a row that is already there is left alone. Safe to repeat. */
    MERGE,
    /** INSERT with Oracle's IGNORE_ROW_ON_DUPKEY_INDEX hint on the primary key: safe to repeat, Oracle only. */
    IGNORE_DUPLICATES_HINT,
    /**
     * Plain INSERT: a repeated row is refused by the primary key and goes to backup as bad data. Replays still
     * take the duplicate-safe way.
     */
    INSERT
}
