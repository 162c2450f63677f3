package io.tagbridge.writer;

/** What became of a batch's values. */
final class Tally {
    int written;
    int alreadyStored;
    int backedUp;
    int quarantined;
    /** A committed batch's conflicting values could not be backed up before the writer stopped. */
    boolean held;

    void clear() {
        written = 0;
        alreadyStored = 0;
        backedUp = 0;
        quarantined = 0;
        held = false;
    }
}
