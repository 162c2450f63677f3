package io.tagbridge.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** Slows down an address after repeated wrong logins, so that guessing the password takes years, not hours. */
final class FailureThrottle {

    private static final int MOST_ADDRESSES = 10_000;

    private record Failures(int count, long blockedUntil) {
    }

    private final Map<String, Failures> byClient = new ConcurrentHashMap<>();
    private final int allowed;
    private final long blockNanos;
    private final LongSupplier clock;

    FailureThrottle(int allowed, int blockSeconds, LongSupplier clock) {
        this.allowed = allowed;
        this.blockNanos = TimeUnit.SECONDS.toNanos(blockSeconds);
        this.clock = clock;
    }

    int allowed() {
        return allowed;
    }

    boolean isBlocked(String client) {
        Failures failures = byClient.get(key(client));
        return failures != null && failures.count() >= allowed && failures.blockedUntil() - clock.getAsLong() > 0;
    }

    /** @return how many times in a row this address has failed */
    int failed(String client) {
        if (byClient.size() >= MOST_ADDRESSES) {
            byClient.clear();
        }
        long now = clock.getAsLong();
        return byClient.compute(key(client), (address, before) -> {
            int count = before == null || before.count() >= allowed && before.blockedUntil() - now <= 0 ? 1
                    : before.count() + 1;
            return new Failures(count, now + blockNanos);
        }).count();
    }

    void succeeded(String client) {
        byClient.remove(key(client));
    }

    int secondsLeft(String client) {
        Failures failures = byClient.get(key(client));
        long left = failures == null ? 0 : failures.blockedUntil() - clock.getAsLong();
        return (int) Math.max(1, TimeUnit.NANOSECONDS.toSeconds(left) + 1);
    }

    private static String key(String client) {
        return client == null ? "" : client;
    }
}
