package io.tagbridge.buffer.journal;

/** What the journal reports as it recovers and reads: damage, foreign segments, limits. */
public interface JournalEvents {

    /** Bytes of a segment were damaged and skipped; {@code values} values were in them, as far as can be told. */
    void damaged(Segment segment, int offset, long bytes, long values, String what);

    /** A segment cannot be read and is kept as it is, untouched. */
    void unreadable(String file, String why);
}
