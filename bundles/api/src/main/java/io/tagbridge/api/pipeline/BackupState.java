package io.tagbridge.api.pipeline;

/** Where a backup file stands on its way back into the database. */
public enum BackupState {
    /** Waiting to be replayed; a file still being written ({@code .part}) is pending too. */
    PENDING,
    /** Its target's writer is replaying it now; some rows may be in the database already. */
    REPLAYING,
    /** Every row is in the database (or quarantined); kept in {@code replayed/} for a number of days. */
    REPLAYED,
    /** Rows the database refused again on replay, with its error, or a file that could not be read. */
    QUARANTINED
}
