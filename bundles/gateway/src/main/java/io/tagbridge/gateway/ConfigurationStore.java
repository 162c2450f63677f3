package io.tagbridge.gateway;

import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Map;

import org.apache.felix.cm.PersistenceManager;
import org.apache.felix.cm.file.FilePersistenceManager;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.pipeline.DataDirectory;

/**
 * Keeps ConfigAdmin's store in the data directory, so that a configuration saved in the web console (or by any
 * bundle) survives a restart, although the gateway's framework cache is rebuilt at every start.
 *
 * <p>Felix ConfigAdmin uses the persistence manager named by the framework property {@value #SELECT} and waits
 * for it: the gateway's bndrun names this one. It is Felix's own file store, pointed at a folder of the data
 * directory that the data directory's lock guards.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE)
public class ConfigurationStore {

    static final String SELECT = "felix.cm.pm";
    static final String NAME = "tagbridge";
    static final String FOLDER = "config";

    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationStore.class);

    private final ServiceRegistration<PersistenceManager> registration;

    @Activate
    public ConfigurationStore(BundleContext context, @Reference DataDirectory data) {
        Path folder = data.path().resolve(FOLDER);
        Dictionary<String, Object> properties = FrameworkUtil.asDictionary(Map.of(PersistenceManager.PROPERTY_NAME,
                NAME));
        registration = context.registerService(PersistenceManager.class,
                new FilePersistenceManager(context, folder.toString()), properties);
        if (!NAME.equals(context.getProperty(SELECT))) {
            LOG.warn("Configurations are kept in {} only if the framework property {}={} is set", folder, SELECT,
                    NAME);
        }
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }
}
