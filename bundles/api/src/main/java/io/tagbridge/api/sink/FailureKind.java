package io.tagbridge.api.sink;

/** What a failed write means for the batch, and so what the engine does next. */
public enum FailureKind {
    /** The destination or the network is briefly unavailable: retry with backoff, then keep or back up. */
    TRANSIENT,
    /** Some values are unacceptable; the rest of the batch is fine: halve the batch until the bad ones are found. */
    BAD_DATA,
    /** The settings are refused (table, privilege, service): no retries; try again after a long pause. */
    REFUSED_SETTINGS,
    /** The credentials are refused: never tried again until the configuration changes, as retrying can lock it. */
    REFUSED_CREDENTIALS;

    /** Whether retrying soon cannot help. */
    public boolean refused() {
        return this == REFUSED_SETTINGS || this == REFUSED_CREDENTIALS;
    }
}
