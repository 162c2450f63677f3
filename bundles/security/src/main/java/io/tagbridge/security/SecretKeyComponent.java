package io.tagbridge.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.monitor.ComponentHealth;
import io.tagbridge.api.monitor.HealthStatus;
import io.tagbridge.api.pipeline.DataDirectory;
import io.tagbridge.api.security.SecretBox;
import io.tagbridge.durable.DurableFiles;

/**
 * Offers the {@link SecretBox} only with the key that sealed the secrets there are. A missing or unreadable key is
 * replaced by a new one only while nothing is sealed: with sealed values about, a new key would make every one of
 * them unreadable for good, while the old key may still come back from a backup. Until the operator has chosen,
 * the box is not offered, so what needs it waits (the pools, the sealing of new secrets), and health says
 * {@code DOWN} with what to do. The decision is made once, at start.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE)
// Registered by hand, since it may not be: said here, for resolvers, as DS says it of the services it registers.
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.tagbridge.api.security.SecretBox",
        uses = SecretBox.class)
public class SecretKeyComponent {

    static final String MISSING = "SECRET_KEY_MISSING";
    static final String UNREADABLE = "SECRET_KEY_UNREADABLE";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Logger LOG = LoggerFactory.getLogger(SecretKeyComponent.class);

    /** Where sealed values are kept, looked up only when the key is not there. */
    @FunctionalInterface
    interface SealedValueSearch {
        List<String> find() throws IOException;
    }

    private final ServiceRegistration<SecretBox> registration;

    @Activate
    public SecretKeyComponent(BundleContext context, @Reference DataDirectory data,
            @Reference ConfigurationAdmin configurationAdmin, @Reference SecurityHealth health)
            throws IOException, GeneralSecurityException {
        SecretBox box = open(data.path().resolve(KeyFileSecretBox.KEY_FILE),
                () -> SealedValues.find(configurationAdmin, EtcFile.directory(context)), health);
        registration = box == null ? null : context.registerService(SecretBox.class, box, null);
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
        }
    }

    /**
     * The box with the key in {@code keyFile}, or with a new key when there is none to lose.
     *
     * @return null when the key is missing or unreadable and sealed values exist; health then says so
     */
    static SecretBox open(Path keyFile, SealedValueSearch sealed, SecurityHealth health)
            throws IOException, GeneralSecurityException {
        String problem = problem(keyFile);
        if (problem != null) {
            List<String> sealedIn = sealed.find();
            if (!sealedIn.isEmpty()) {
                ComponentHealth down = refusal(keyFile, problem, sealedIn);
                health.report(SecurityHealth.Topic.KEY, down);
                LOG.error("Tagbridge Security: {}", down.advice());
                return null;
            }
            if (Files.exists(keyFile)) {
                Path aside = keyFile.resolveSibling(keyFile.getFileName() + ".unreadable-" + STAMP.format(Instant.now()));
                DurableFiles.move(keyFile, aside);
                LOG.warn("The key {} cannot be read ({}) and nothing is sealed with it: kept it as {} and made a new one",
                        keyFile, problem, aside);
            }
        }
        health.clear(SecurityHealth.Topic.KEY);
        return new KeyFileSecretBox(keyFile);
    }

    /** Why the file gives no key, or null when it does. */
    private static String problem(Path keyFile) {
        if (!Files.exists(keyFile)) {
            return "it does not exist";
        }
        try {
            KeyFileSecretBox.read(keyFile);
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    private static ComponentHealth refusal(Path keyFile, String problem, List<String> sealedIn) {
        boolean missing = !Files.exists(keyFile);
        String advice = "the key that sealed the secrets (ENC(...)) in " + String.join(", ", sealedIn) + " is "
                + (missing ? "missing" : "unreadable") + ": " + keyFile + ". No new key is made, since it could open "
                + "none of them; meanwhile the database pools and all else that opens a secret wait, and a sealed login "
                + "password logs nobody in. Either restore " + keyFile + " from the backup of the data directory, or "
                + "type each of those passwords again in clear text, in its etc file or in the web console (to log in, "
                + "type the login's password in clear into etc/io.tagbridge.security.cfg); then restart the gateway: "
                + "with no sealed value left, it makes a new key and seals them with it";
        return new ComponentHealth(HealthStatus.DOWN, "WAITING_FOR_KEY", missing ? MISSING : UNREADABLE, advice,
                missing ? "" : problem, Map.of("keyFile", keyFile.toString(), "sealedIn", sealedIn));
    }
}
