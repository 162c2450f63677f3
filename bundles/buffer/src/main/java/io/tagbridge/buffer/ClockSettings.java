package io.tagbridge.buffer;

import java.time.Duration;
import java.time.Instant;

/**
 * The clock guard's settings.
 *
 * @param policy    what becomes of a value whose source time is suspect
 * @param floor     source times before it are suspect
 * @param maxFuture source times further than this ahead of the gateway's clock are suspect
 */
record ClockSettings(ClockPolicy policy, Instant floor, Duration maxFuture) {
}
