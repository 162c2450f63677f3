package io.tagbridge.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ClockJumpsTest {

    private static final long SECOND = 1_000_000;
    private static final long YEAR = 365L * 24 * 3600 * SECOND;

    private final AtomicLong nanos = new AtomicLong();
    private final ClockJumps jumps = new ClockJumps(nanos::get);

    /** A look at the clock {@code wall}, {@code elapsed} µs of monotonic time after the last one. */
    private void look(long wall, long elapsed, long nextSeq) {
        nanos.addAndGet(elapsed * 1000);
        jumps.observe(wall, nextSeq);
    }

    @Test
    void aJumpIsNotedWithTheSequenceNumberItCameBeforeAndDriftIsNot() {
        look(1000 * SECOND, 0, 0);
        look(1001 * SECOND + SECOND, SECOND, 10);
        assertThat(jumps.all()).as("a second of drift").isEmpty();
        look(1002 * SECOND + YEAR, SECOND, 20);

        assertThat(jumps.all()).singleElement().satisfies(j -> {
            assertThat(j.seq()).isEqualTo(20);
            assertThat(j.deltaMicros()).isEqualTo(YEAR - SECOND);
        });
        assertThat(jumps.after(19)).as("a value stamped before it is younger by it").isEqualTo(YEAR - SECOND);
        assertThat(jumps.after(20)).as("a value stamped after it").isZero();
    }

    @Test
    void aJumpBackAndForthCancelsOutForValuesBeforeBoth() {
        look(1000 * SECOND, 0, 0);
        look(1000 * SECOND - 3600 * SECOND, SECOND, 5);
        look(1000 * SECOND + 2 * SECOND, SECOND, 8);
        assertThat(jumps.after(0)).isEqualTo(0);
        assertThat(jumps.after(6)).as("stamped between: an hour younger than the clock says")
                .isEqualTo(3600 * SECOND + SECOND);
    }

    @Test
    void theCutoffForValuesKnownOnlyByTimeCountsForwardJumpsOutAndNeverTakesAValueForOlder() {
        long boot = 1000 * SECOND;
        look(boot, 0, 0);
        look(boot + YEAR, SECOND, 5);
        long hour = 3600 * SECOND;

        long halfAnHourOn = jumps.receivedCutoff(boot + YEAR + hour / 2, hour);
        assertThat(halfAnHourOn).as("30 min in truth: values received at boot are not old yet")
                .isEqualTo(boot - hour / 2 + SECOND).isLessThan(boot);
        assertThat(jumps.receivedCutoff(boot + YEAR + 2 * hour, hour))
                .as("2 h in truth: all values before the jump are old, and those after it received over an hour ago")
                .isEqualTo(boot + YEAR + hour);
    }
}
