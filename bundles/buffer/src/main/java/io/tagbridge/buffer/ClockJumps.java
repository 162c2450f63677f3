package io.tagbridge.buffer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Sudden jumps of the gateway's clock, so that expiry counts the time that passed rather than what the clock says:
 * a gateway that booted at a stale time and then set its clock a year ahead has not kept its values for a year.
 * The door compares the clock with the monotonic clock at each offer, under its lock, and notes a jump with the
 * journal's next sequence number (the values before it were stamped before the jump) and the clock's time just
 * before it. Drift and slewing under {@link #TOLERANCE_MICROS} between two looks are not jumps. The time a gateway
 * is off is not seen: it counts as age.
 */
final class ClockJumps {

    static final long TOLERANCE_MICROS = 2_000_000;
    /** Jumps are rare; beyond this many, the oldest are forgotten (their values expired long ago). */
    private static final int KEPT = 64;

    /** A jump of {@code deltaMicros}, seen before the value of sequence number {@code seq}. */
    record Jump(long seq, long wallBeforeMicros, long deltaMicros) {
    }

    private final LongSupplier nanos;
    private final List<Jump> jumps = new ArrayList<>();
    private boolean looked;
    private long lastWallMicros;
    private long lastNanos;

    ClockJumps(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /** A look at the clock now, {@code wallMicros}, with the journal's next sequence number. */
    void observe(long wallMicros, long nextSeq) {
        observe(wallMicros, nanos.getAsLong(), nextSeq);
    }

    /**
     * A look at the clock, {@code wallMicros}, read at the monotonic clock's {@code now}: the two read together,
     * so that an offer that waited for room before it came to the door is no jump.
     */
    synchronized void observe(long wallMicros, long now, long nextSeq) {
        if (looked) {
            long expected = lastWallMicros + (now - lastNanos) / 1000;
            long delta = wallMicros - expected;
            if (Math.abs(delta) > TOLERANCE_MICROS) {
                jumps.add(new Jump(nextSeq, expected, delta));
                if (jumps.size() > KEPT) {
                    jumps.remove(0);
                }
            }
        }
        looked = true;
        lastWallMicros = wallMicros;
        lastNanos = now;
    }

    /** What jumps added to the clock after the value of {@code seq} was stamped: it is that much younger. */
    synchronized long after(long seq) {
        long sum = 0;
        for (Jump j : jumps) {
            if (j.seq > seq) {
                sum += j.deltaMicros;
            }
        }
        return sum;
    }

    /**
     * For values known only by the time they were received (backup files): those received before the returned
     * time are more than {@code maxAgeMicros} old, counting forward jumps out and never taking a value for older
     * than it is (a backward jump makes values look younger, so it is left out).
     */
    synchronized long receivedCutoff(long nowMicros, long maxAgeMicros) {
        List<Jump> forward = jumps.stream().filter(j -> j.deltaMicros > 0)
                .sorted((a, b) -> Long.compare(a.wallBeforeMicros, b.wallBeforeMicros)).toList();
        long later = forward.stream().mapToLong(Jump::deltaMicros).sum();
        long start = Long.MIN_VALUE;
        for (Jump j : forward) {
            long bound = nowMicros - maxAgeMicros - later;
            if (bound < j.wallBeforeMicros) {
                return Math.max(start, bound);
            }
            start = j.wallBeforeMicros;
            later -= j.deltaMicros;
        }
        return Math.max(start, nowMicros - maxAgeMicros - later);
    }

    synchronized List<Jump> all() {
        return List.copyOf(jumps);
    }

    /** The jumps a ledger kept, before any look at the clock. */
    synchronized void restore(List<Jump> kept) {
        jumps.clear();
        jumps.addAll(kept);
    }
}
