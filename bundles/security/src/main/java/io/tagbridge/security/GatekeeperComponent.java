package io.tagbridge.security;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Objects;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.monitor.ComponentHealth;
import io.tagbridge.api.monitor.HealthStatus;
import io.tagbridge.api.pipeline.DataDirectory;
import io.tagbridge.api.security.Access;
import io.tagbridge.api.security.Gatekeeper;
import io.tagbridge.api.security.SecretBox;

/**
 * The gateway's one login. A configured password is hashed at once and its clear text dropped; without one, a
 * generated password stands in. It waits for its configuration (the gateway creates an empty one, or reads
 * etc/io.tagbridge.security.cfg), so that a password in a file is never preceded by a generated one; until then
 * nothing can log in.
 *
 * <p>A changed configuration takes effect in place: the service stays registered, so the web console and the
 * REST doors, which need it, stay open while a password is changed or sealed, and the old settings answer until
 * the new password is hashed. Grants and failures counted under the old settings end with them.
 *
 * <p>It runs without the {@link SecretBox} too (its key may be missing, see {@link SecretKeyComponent}), so that
 * monitoring stays readable and health can say what is wrong; a sealed password then opens nothing and nobody
 * logs in, rather than a generated password taking its place. The same holds when the generated password's hash
 * is damaged: the login is never silently another one.
 */
@Component(configurationPid = SecurityConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = SecurityConfig.class)
public class GatekeeperComponent implements Gatekeeper {

    static final int MINIMUM_LENGTH = 8;
    static final String PASSWORD_HASH_UNREADABLE = "PASSWORD_HASH_UNREADABLE";
    private static final Logger LOG = LoggerFactory.getLogger(GatekeeperComponent.class);

    /** The configuration form's defaults: a username left blank means the form's. */
    private static final SecurityConfig DEFAULTS = (SecurityConfig) Proxy.newProxyInstance(
            SecurityConfig.class.getClassLoader(), new Class<?>[] { SecurityConfig.class },
            (proxy, method, args) -> method.getDefaultValue());

    private final DataDirectory data;
    private final SecretBox box;
    private final SecurityHealth health;
    private volatile Login login;

    @Activate
    public GatekeeperComponent(SecurityConfig config, @Reference DataDirectory data,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            SecretBox box, @Reference SecurityHealth health) throws IOException {
        this.data = data;
        this.box = box;
        this.health = health;
        apply(config);
    }

    @Modified
    void modified(SecurityConfig config) throws IOException {
        apply(config);
    }

    /** The generated password's files go only once a configured password applies, so one login always works. */
    private void apply(SecurityConfig config) throws IOException {
        String username = config.username() == null || config.username().isBlank() ? DEFAULTS.username()
                : config.username().trim();
        FailureThrottle throttle = new FailureThrottle(Math.max(1, config.failuresBeforeSlowDown()),
                Math.max(1, config.slowDownSeconds()), System::nanoTime);
        GeneratedPassword generated = new GeneratedPassword(data.path());
        if (SecretBox.isSealed(config.password()) && box == null) {
            // Usually the key's component has not started yet; this one starts again once it has. When the key is
            // really missing, that component logs it as an error and health says what to do.
            LOG.debug("Tagbridge Security: the password is sealed and the key that opens it is not there (yet); "
                    + "nobody can log in until it is");
            health.clear(SecurityHealth.Topic.LOGIN);
            login = new Login(username, null, config.monitoringNeedsCredentials(), throttle);
            return;
        }
        String configured = configuredPassword(config, box);
        PasswordHash hash;
        try {
            hash = configured == null ? generated.hash(username) : PasswordHash.of(configured);
            health.clear(SecurityHealth.Topic.LOGIN);
        } catch (UnreadablePasswordHashException e) {
            LOG.error("Tagbridge Security: {}", e.getMessage());
            health.report(SecurityHealth.Topic.LOGIN, new ComponentHealth(HealthStatus.DOWN, "NO_LOGIN",
                    PASSWORD_HASH_UNREADABLE, e.getMessage(), Objects.toString(e.getCause().getMessage(), ""),
                    Map.of()));
            hash = null;
        }
        login = new Login(username, hash, config.monitoringNeedsCredentials(), throttle);
        if (configured != null) {
            generated.forget();
        }
    }

    /** The configured password, or null when there is none fit to use (then the generated one stays). */
    private static String configuredPassword(SecurityConfig config, SecretBox box) {
        String password;
        try {
            password = box == null ? config.password() : box.open(config.password());
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
        return login.check(user, password, client);
    }

    @Override
    public int retryAfterSeconds(String client) {
        return login.retryAfterSeconds(client);
    }

    @Override
    public boolean monitoringNeedsCredentials() {
        return login.monitoringNeedsCredentials;
    }
}
