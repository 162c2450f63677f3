package io.tagbridge.api.pipeline;

/**
 * What a target (one writer instance, named by its configuration's {@code name}) is doing. Health, metrics and
 * logs use these words, and only these.
 */
public enum TargetState {
    /** The last attempt committed. */
    WRITING,
    /** An attempt failed and the retry schedule runs. */
    RETRYING,
    /** Retries are exhausted: batches wait or go to backup, and a probe tries the database now and then. */
    UNAVAILABLE,
    /** The database refuses the target's settings (credentials, table, privilege, service). */
    REFUSED,
    /** Its configuration is invalid; it does not write until the configuration is fixed. */
    MISCONFIGURED,
    /** Its writer is not running. */
    STOPPED
}
