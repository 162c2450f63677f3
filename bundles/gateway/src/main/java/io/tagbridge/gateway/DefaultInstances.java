package io.tagbridge.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.durable.DurableFiles;

/**
 * Makes the gateway work with no configuration files: the pool and the writer are factory components, which
 * run only once an instance is configured, so this creates the instance {@code default} of each unless it
 * exists. An instance that has a file in the configuration directory is left to Felix FileInstall, which
 * reads it; creating it here as well would race with FileInstall and could overwrite the file's settings.
 *
 * <p>The same holds for the configurations that wait for one: the gateway's login, which with an empty one
 * generates its first password, and the web server, which the gateway's bndrun tells to wait (so that it starts
 * once, on the operator's port and address, instead of starting on the default and then again); with an empty
 * one it takes the framework properties.
 *
 * <p>An etc file that was damaged and set aside at start (see {@link EtcFileCheck}) counts as there: the built-in
 * default never stands in for a configuration that a power cut took.
 */
@Component
public class DefaultInstances {

    static final List<String> FACTORY_PIDS = List.of("io.tagbridge.oracle.pool", "io.tagbridge.writer");
    static final String INSTANCE = "default";
    static final String SECURITY_PID = "io.tagbridge.security";
    static final String HTTP_PID = "org.apache.felix.http";

    private static final Logger LOG = LoggerFactory.getLogger(DefaultInstances.class);

    @Activate
    public DefaultInstances(BundleContext context, @Reference ConfigurationAdmin configurationAdmin,
            @Reference EtcFileCheck etcFiles) {
        Path configDirectory = ConfigDirectory.of(context);
        createIfMissing(configDirectory);
        for (String pid : List.of(SECURITY_PID, HTTP_PID)) {
            Path file = configDirectory.resolve(pid + ".cfg");
            if (Files.exists(file) || etcFiles.isSetAside(file)) {
                continue;
            }
            try {
                createEmptyIfMissing(configurationAdmin, pid);
            } catch (IOException e) {
                LOG.error("Could not create the configuration {}: {}. Create {} to configure it", pid,
                        e.getMessage(), file);
            }
        }
        for (String factoryPid : FACTORY_PIDS) {
            Path file = configDirectory.resolve(factoryPid + "-" + INSTANCE + ".cfg");
            if (Files.exists(file) || etcFiles.isSetAside(file)) {
                continue;
            }
            try {
                createIfMissing(configurationAdmin, factoryPid);
            } catch (IOException | InvalidSyntaxException e) {
                LOG.error("Could not create the default {} instance: {}. Create {} to configure it", factoryPid,
                        e.getMessage(), file);
            }
        }
    }

    /** An operator finds the directory where configuration files go, and FileInstall watches it from the start. */
    private static void createIfMissing(Path configDirectory) {
        try {
            DurableFiles.createDirectories(configDirectory);
        } catch (IOException e) {
            LOG.warn("Could not create the configuration directory {}: {}. Create it to configure the gateway with "
                    + "files", configDirectory.toAbsolutePath(), e.getMessage());
        }
    }

    private static void createEmptyIfMissing(ConfigurationAdmin configurationAdmin, String pid) throws IOException {
        Configuration configuration = configurationAdmin.getConfiguration(pid, "?");
        if (configuration.getProperties() == null) {
            configuration.update(new Hashtable<>());
        }
    }

    private static void createIfMissing(ConfigurationAdmin configurationAdmin, String factoryPid)
            throws IOException, InvalidSyntaxException {
        String pid = factoryPid + "~" + INSTANCE;
        if (configurationAdmin.listConfigurations("(service.pid=" + pid + ")") != null) {
            return;
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("name", INSTANCE);
        Configuration configuration = configurationAdmin.getFactoryConfiguration(factoryPid, INSTANCE, "?");
        configuration.update(properties);
        LOG.info("Created the built-in {} instance with default settings", pid);
    }
}
