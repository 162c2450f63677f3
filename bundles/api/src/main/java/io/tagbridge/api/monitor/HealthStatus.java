package io.tagbridge.api.monitor;

/** The overall verdict. */
public enum HealthStatus {
    /** Values flow to the database. */
    UP,
    /** Values are safe but something needs attention: failures, backups, a filling buffer. */
    DEGRADED,
    /** Values do not reach the database, or the buffer refuses them. */
    DOWN
}
