package io.tagbridge.buffer;

import java.time.Duration;

/**
 * How long a target keeps its values once accepted.
 *
 * @param maxAge  older values expire
 * @param archive whether they go to an archive file first, rather than only being counted as dropped
 */
record Retain(Duration maxAge, boolean archive) {
}
