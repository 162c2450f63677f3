package io.tagbridge.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Credentials that passed the slow hash a moment ago, so that a producer posting many times a second pays for
 * the hash once a minute, not on every request. Keeps a fast digest of them, never the password.
 */
final class RecentGrants {

    private static final int MOST = 1_000;

    private final Map<String, Long> expiry = new ConcurrentHashMap<>();
    private final long keepNanos;
    private final LongSupplier clock;

    RecentGrants(long keepNanos, LongSupplier clock) {
        this.keepNanos = keepNanos;
        this.clock = clock;
    }

    boolean contains(String username, String password) {
        Long until = expiry.get(digest(username, password));
        return until != null && until - clock.getAsLong() > 0;
    }

    void add(String username, String password) {
        if (expiry.size() >= MOST) {
            expiry.clear();
        }
        expiry.put(digest(username, password), clock.getAsLong() + keepNanos);
    }

    void clear() {
        expiry.clear();
    }

    private static String digest(String username, String password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(username.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            return HexFormat.of().formatHex(sha.digest(password.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
