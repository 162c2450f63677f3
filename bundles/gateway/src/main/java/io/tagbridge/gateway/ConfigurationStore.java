package io.tagbridge.gateway;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Map;

import org.apache.felix.cm.PersistenceManager;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.pipeline.DataDirectory;
import io.tagbridge.api.security.SecretBox;

/**
 * Keeps ConfigAdmin's store in the data directory, so that a configuration saved in the web console (or by any
 * bundle) survives a restart, although the gateway's framework cache is rebuilt at every start.
 *
 * <p>Felix ConfigAdmin uses the persistence manager named by the framework property {@value #SELECT} and waits
 * for it: the gateway's bndrun names this one. It keeps Felix's file format and layout, written durably (see
 * {@link DurableConfigurationFiles}), in a folder of the data directory that the data directory's lock guards.
 * Secrets are written sealed once the {@link SecretBox} is there, which starts with this store, before FileInstall
 * reads ./etc.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE)
public class ConfigurationStore {

    static final String SELECT = "felix.cm.pm";
    static final String NAME = "tagbridge";
    static final String FOLDER = "config";

    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationStore.class);

    private final ServiceRegistration<PersistenceManager> registration;
    private final SealingStore store;

    @Activate
    public ConfigurationStore(BundleContext context, @Reference DataDirectory data) throws IOException {
        Path folder = data.path().resolve(FOLDER);
        Dictionary<String, Object> properties = FrameworkUtil.asDictionary(Map.of(PersistenceManager.PROPERTY_NAME,
                NAME));
        store = new SealingStore(new DurableConfigurationFiles(folder));
        registration = context.registerService(PersistenceManager.class, store, properties);
        if (!NAME.equals(context.getProperty(SELECT))) {
            LOG.warn("Configurations are kept in {} only if the framework property {}={} is set", folder, SELECT,
                    NAME);
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindBox(SecretBox box) {
        store.box(box);
    }

    void unbindBox(SecretBox box) {
        store.box(null);
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }
}
