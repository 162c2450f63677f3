package io.tagbridge.buffer.journal;

/** A place in the journal a reader has come to. Not thread-safe: each reader has its own. */
public final class Position {
    Segment segment;
    int offset;
    int index;
    long seq;
    long lost;

    /** The sequence number of the next value to read. */
    public long seq() {
        return seq;
    }

    /** Values found lost to damage since the last call, to be counted by whoever reads. */
    public long takeLost() {
        long n = lost;
        lost = 0;
        return n;
    }

    /** A copy, to read ahead without moving this one. */
    public Position copy() {
        Position p = new Position();
        p.segment = segment;
        p.offset = offset;
        p.index = index;
        p.seq = seq;
        return p;
    }

    @Override
    public String toString() {
        return "seq " + seq + " in " + segment + " at " + offset + "+" + index;
    }
}
