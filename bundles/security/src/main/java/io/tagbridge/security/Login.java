package io.tagbridge.security;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.security.Access;

/**
 * What one security configuration allows: its user, its password's hash, and the grants and failures counted
 * under it. A new configuration gets a new one, so no grant outlives the password it was made with.
 */
final class Login {

    private static final long GRANT_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final Logger LOG = LoggerFactory.getLogger(Login.class);

    final String username;
    final boolean monitoringNeedsCredentials;
    private final PasswordHash hash;
    private final RecentGrants grants = new RecentGrants(GRANT_NANOS, System::nanoTime);
    private final FailureThrottle throttle;

    /** @param hash null when no password can log in (see {@link GatekeeperComponent}) */
    Login(String username, PasswordHash hash, boolean monitoringNeedsCredentials, FailureThrottle throttle) {
        this.username = username;
        this.hash = hash;
        this.monitoringNeedsCredentials = monitoringNeedsCredentials;
        this.throttle = throttle;
    }

    Access check(String user, String password, String client) {
        if (throttle.isBlocked(client)) {
            return Access.THROTTLED;
        }
        if (user == null || password == null) {
            return Access.DENIED;
        }
        if (grants.contains(user, password)) {
            return Access.GRANTED;
        }
        boolean right = hash != null && (hash.matches(password) & username.equals(user));
        if (right) {
            grants.add(user, password);
            throttle.succeeded(client);
            return Access.GRANTED;
        }
        int inARow = throttle.failed(client);
        LOG.warn("Wrong credentials from {} (user '{}', {} in a row); after {} the address waits", client, user,
                inARow, throttle.allowed());
        return Access.DENIED;
    }

    int retryAfterSeconds(String client) {
        return throttle.secondsLeft(client);
    }
}
