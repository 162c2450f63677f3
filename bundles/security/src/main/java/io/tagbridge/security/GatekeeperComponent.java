package io.tagbridge.security;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.pipeline.DataDirectory;
import io.tagbridge.api.security.Access;
import io.tagbridge.api.security.Gatekeeper;
import io.tagbridge.api.security.SecretBox;

/**
 * The gateway's one login. A configured password is hashed at once and its clear text dropped; without one, a
 * generated password stands in. A new configuration replaces this component, so no grant outlives a password.
 * It waits for its configuration (the gateway creates an empty one, or reads etc/io.tagbridge.security.cfg), so
 * that a password in a file is never preceded by a generated one; until then nothing can log in.
 */
@Component(configurationPid = SecurityConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = SecurityConfig.class)
public class GatekeeperComponent implements Gatekeeper {

    static final int MINIMUM_LENGTH = 8;
    private static final long GRANT_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final Logger LOG = LoggerFactory.getLogger(GatekeeperComponent.class);

    private final String username;
    private final PasswordHash hash;
    private final boolean monitoringNeedsCredentials;
    private final RecentGrants grants = new RecentGrants(GRANT_NANOS, System::nanoTime);
    private final FailureThrottle throttle;

    @Activate
    public GatekeeperComponent(SecurityConfig config, @Reference DataDirectory data, @Reference SecretBox box)
            throws IOException {
        this.username = config.username() == null || config.username().isBlank() ? "admin" : config.username().trim();
        this.monitoringNeedsCredentials = config.monitoringNeedsCredentials();
        this.throttle = new FailureThrottle(Math.max(1, config.failuresBeforeSlowDown()),
                Math.max(1, config.slowDownSeconds()), System::nanoTime);
        GeneratedPassword generated = new GeneratedPassword(data.path());
        String configured = configuredPassword(config, box);
        if (configured == null) {
            this.hash = generated.hash(username);
        } else {
            this.hash = PasswordHash.of(configured);
            generated.forget();
        }
    }

    /** The configured password, or null when there is none fit to use (then the generated one stays). */
    private static String configuredPassword(SecurityConfig config, SecretBox box) {
        String password;
        try {
            password = box.open(config.password());
        } catch (IllegalArgumentException e) {
            LOG.error("Tagbridge Security: the password cannot be read, {}. Until then the generated password "
                    + "applies", e.getMessage());
            return null;
        }
        if (password == null || password.isEmpty()) {
            return null;
        }
        if (password.length() < MINIMUM_LENGTH) {
            LOG.error("Tagbridge Security: the configured password has fewer than {} characters and is not used; "
                    + "set a longer one. Until then the generated password applies", MINIMUM_LENGTH);
            return null;
        }
        return password;
    }

    @Override
    public Access check(String user, String password, String client) {
        if (throttle.isBlocked(client)) {
            return Access.THROTTLED;
        }
        if (user == null || password == null) {
            return Access.DENIED;
        }
        if (grants.contains(user, password)) {
            return Access.GRANTED;
        }
        boolean right = hash.matches(password) & username.equals(user);
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

    @Override
    public int retryAfterSeconds(String client) {
        return throttle.secondsLeft(client);
    }

    @Override
    public boolean monitoringNeedsCredentials() {
        return monitoringNeedsCredentials;
    }
}
