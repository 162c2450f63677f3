package io.tagbridge.security;

import java.io.IOException;
import java.util.Collections;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Map;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.security.SecretBox;

/**
 * Replaces a clear secret in any configuration (typed into an etc file or the console's form) by its sealed
 * form, at start for what is there and then on every change: in the etc file the configuration came from, or
 * else in ConfigAdmin. Components open it where they use it.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE)
public class SecretSealer implements ConfigurationListener {

    /** The console hashes its own password; it is not a Tagbridge secret and the console reads it itself. */
    static final String CONSOLE_PID = "org.apache.felix.webconsole.internal.servlet.OsgiManager";
    private static final Logger LOG = LoggerFactory.getLogger(SecretSealer.class);

    private final ConfigurationAdmin configurationAdmin;
    private final SecretBox box;

    @Activate
    public SecretSealer(@Reference ConfigurationAdmin configurationAdmin, @Reference SecretBox box)
            throws IOException, InvalidSyntaxException {
        this.configurationAdmin = configurationAdmin;
        this.box = box;
        Configuration[] all = configurationAdmin.listConfigurations(null);
        for (Configuration configuration : all == null ? new Configuration[0] : all) {
            seal(configuration);
        }
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (event.getType() != ConfigurationEvent.CM_UPDATED) {
            return;
        }
        try {
            Configuration[] found = configurationAdmin.listConfigurations("(service.pid=" + event.getPid() + ")");
            if (found != null) {
                seal(found[0]);
            }
        } catch (IOException | InvalidSyntaxException e) {
            LOG.error("Could not encrypt the secrets of configuration {}: {}. They stay readable in the console "
                    + "until the next change", event.getPid(), e.getMessage());
        }
    }

    private void seal(Configuration configuration) throws IOException {
        Dictionary<String, Object> properties = configuration.getProperties();
        if (properties == null || CONSOLE_PID.equals(configuration.getPid())) {
            return;
        }
        Map<String, String> sealed = new HashMap<>();
        for (String key : Collections.list(properties.keys())) {
            if (SecretBox.isSecretName(key) && properties.get(key) instanceof String value && !value.isEmpty()
                    && !SecretBox.isSealed(value)) {
                sealed.put(key, box.seal(value));
            }
        }
        if (sealed.isEmpty()) {
            return;
        }
        Path file = EtcFile.of(properties.get(EtcFile.FILENAME_PROPERTY));
        // FileInstall reads the sealed file back into the configuration. Updating the configuration here instead
        // would make FileInstall write the file while it may be reading it, and lose its content.
        boolean inFile = file != null && EtcFile.replace(file, sealed);
        if (!inFile) {
            sealed.forEach(properties::put);
            configuration.updateIfDifferent(properties);
        }
        LOG.info("Encrypted the secrets of configuration {}{}", configuration.getPid(), inFile ? " in " + file : "");
    }
}
