package io.tagbridge.writer;

/** How rows go into the table, and what a batch written twice (after a retry or a replay) does. */
public enum WriteMode {
    /** MERGE on (tag name, source time): a row that is already there is left alone. Safe to repeat. */
    MERGE,
    /** INSERT with Oracle's IGNORE_ROW_ON_DUPKEY_INDEX hint on the primary key: safe to repeat, Oracle only. */
    IGNORE_DUPLICATES_HINT,
    /** Plain INSERT: fastest, but a repeated row is refused by the primary key and goes to backup as bad data. */
    INSERT
}
