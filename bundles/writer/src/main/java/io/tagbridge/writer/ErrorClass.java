package io.tagbridge.writer;

/** What a failed write means for the batch, and so what the writer does next. */
enum ErrorClass {
    /** The database or the network is briefly unavailable: retry with backoff. */
    TRANSIENT,
    /** Some rows are unacceptable (too large, invalid, violating a constraint); the rest of the batch is fine. */
    BAD_DATA,
    /** The settings themselves are refused (credentials, table, privilege, service): retrying does not help. */
    REFUSED_SETTINGS
}
