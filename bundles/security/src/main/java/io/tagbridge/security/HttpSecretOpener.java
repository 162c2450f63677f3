package io.tagbridge.security;

import java.util.Collections;
import java.util.Dictionary;

import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationPlugin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.security.SecretBox;

/**
 * Felix HTTP reads its keystore passwords itself and cannot open a sealed one, so ConfigAdmin hands it the clear
 * form through this plugin, while the stored configuration and the console keep the sealed one.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE,
        property = ConfigurationPlugin.CM_TARGET + "=" + HttpSecretOpener.HTTP_PID)
public class HttpSecretOpener implements ConfigurationPlugin {

    static final String HTTP_PID = "org.apache.felix.http";
    private static final Logger LOG = LoggerFactory.getLogger(HttpSecretOpener.class);

    private final SecretBox box;

    @Activate
    public HttpSecretOpener(@Reference SecretBox box) {
        this.box = box;
    }

    @Override
    public void modifyConfiguration(ServiceReference<?> reference, Dictionary<String, Object> properties) {
        for (String key : Collections.list(properties.keys())) {
            if (SecretBox.isSecretName(key) && properties.get(key) instanceof String value) {
                try {
                    properties.put(key, box.open(value));
                } catch (IllegalArgumentException e) {
                    LOG.error("HTTPS setting {}: {}", key, e.getMessage());
                }
            }
        }
    }
}
