package io.tagbridge.buffer.journal;

/** What the journal reports as it recovers and reads: damage, foreign segments, limits. */
public interface JournalEvents {

    /**
     * Bytes of a segment were damaged and skipped; {@code values} values were in them, as far as can be told.
     *
     * @param afterLastSync the bytes lie after the newest segment's last sync to disk, as found at start: an
     *                      unclean stop explains them, a disk fault need not
     */
    void damaged(Segment segment, int offset, long bytes, long values, String what, boolean afterLastSync);

    /** A segment cannot be read and is kept as it is, untouched. */
    void unreadable(String file, String why);
}
