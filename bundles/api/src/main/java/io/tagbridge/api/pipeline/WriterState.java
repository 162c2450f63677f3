package io.tagbridge.api.pipeline;

/** What a writer is doing, as health reports it. */
public enum WriterState {
    /** Writing to the database. */
    RUNNING,
    /** The database refuses writes; batches are being retried or backed up. */
    DATABASE_UNAVAILABLE,
    /**
     * The database refuses the writer's settings (credentials, table, privilege, service): batches go to backup
     * until they are fixed.
     */
    SETTINGS_REFUSED,
    /** Neither the database nor the backup takes batches; the writer holds them and the buffer fills. */
    BACKUP_FAILING,
    /** Its configuration is invalid; it does not write until the configuration is fixed. */
    MISCONFIGURED,
    /** Stopped, after flushing. */
    STOPPED
}
