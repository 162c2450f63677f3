package io.tagbridge.api.monitor;

/** The overall verdict, worst last. */
public enum HealthStatus {
    /** Values flow to every target. HTTP 200. */
    UP,
    /** Values are safe but something needs attention: a target retries or is down while another writes, or the
     * buffer fills. HTTP 200. */
    DEGRADED,
    /** Values reach no database, or the buffer is about to refuse them. HTTP 503. */
    DOWN
}
