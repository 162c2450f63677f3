package io.tagbridge.buffer;

/** What the buffer does with a value whose source time is before the clock floor or too far ahead. */
public enum ClockPolicy {
    /** Refuse the offer (reason CLOCK_SUSPECT): the driver keeps the values. */
    REFUSE,
    /**
     * Store the value at the time it was received, marked UNCERTAIN; refuse instead while the gateway's own clock
     * is before the floor, since its time is no better.
     */
    USE_RECEIVED_TIME,
    /** Store the value as it came; it is only counted. */
    ACCEPT
}
