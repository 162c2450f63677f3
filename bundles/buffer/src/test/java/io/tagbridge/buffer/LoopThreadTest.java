package io.tagbridge.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.tagbridge.testkit.Await;

class LoopThreadTest {

    @Test
    void healthShowsTheDeathOfWhicheverLoopDiedLast() {
        LoopThread sync = dyingOnce("sync broke");
        Await.until("the first loop to die", Duration.ofSeconds(10), () -> LoopThread.recentDeath(sync),
                died -> died != null);
        LoopThread spill = dyingOnce("spill broke");
        Await.until("the second loop to die", Duration.ofSeconds(10), () -> LoopThread.recentDeath(spill),
                died -> died != null);

        assertThat(LoopThread.recentDeath(sync, spill).toString()).contains("spill broke");
        assertThat(LoopThread.recentDeath(spill, sync).toString()).contains("spill broke");
    }

    @Test
    void aLoopThatDiedIsStartedAgain() {
        AtomicBoolean ranAgain = new AtomicBoolean();
        AtomicBoolean died = new AtomicBoolean();
        new LoopThread("again", () -> {
            if (!died.getAndSet(true)) {
                throw new IllegalStateException("broke");
            }
            ranAgain.set(true);
        }, () -> true);

        Await.until("the loop to run again", Duration.ofSeconds(10), ranAgain::get, Boolean.TRUE::equals);
    }

    /** A loop that throws the first time it runs and returns the second: its thread then ends. */
    private static LoopThread dyingOnce(String why) {
        AtomicBoolean first = new AtomicBoolean(true);
        return new LoopThread(why, () -> {
            if (first.getAndSet(false)) {
                throw new IllegalStateException(why);
            }
        }, () -> true);
    }
}
