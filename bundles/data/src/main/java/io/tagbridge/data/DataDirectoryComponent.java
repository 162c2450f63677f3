package io.tagbridge.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.function.UnaryOperator;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.annotation.bundle.Capability;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.pipeline.DataDirectory;

/**
 * Finds the data directory, creates it, locks it for this process and publishes it as a {@link DataDirectory}.
 * The directory is chosen by framework properties, not by a configuration, because the configuration store
 * itself lives in it.
 *
 * <p>When another process holds the directory, nothing is published, so nothing that keeps state starts. A
 * gateway started as a plain jar (framework property {@value #EXIT_WHEN_IN_USE} true) then exits with status 1
 * rather than stand around without its state.
 */
// For resolvers (Karaf features, bnd): the directory is registered by hand, once it is locked,
// so DS cannot declare it.
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.tagbridge.api.pipeline.DataDirectory")
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = {})
public class DataDirectoryComponent {

    static final String KARAF_DATA = "karaf.data";
    static final String DEFAULT = "data";
    static final String EXIT_WHEN_IN_USE = "tagbridge.data.exitWhenInUse";

    private static final Logger LOG = LoggerFactory.getLogger(DataDirectoryComponent.class);

    private final DirectoryLock lock;
    private final ServiceRegistration<DataDirectory> registration;

    @Activate
    public DataDirectoryComponent(BundleContext context) throws IOException {
        Path path = locate(context::getProperty);
        Files.createDirectories(path);
        DirectoryLock taken;
        try {
            taken = DirectoryLock.take(path);
        } catch (DirectoryLock.InUseException e) {
            LOG.error("Cannot start: {}", e.getMessage());
            if (Boolean.parseBoolean(context.getProperty(EXIT_WHEN_IN_USE))) {
                // On its own thread: the JVM's shutdown hooks stop the framework, which waits for this activation.
                new Thread(() -> System.exit(1), "tagbridge-exit-data-in-use").start();
            }
            taken = null;
        }
        lock = taken;
        registration = lock == null ? null : context.registerService(DataDirectory.class, () -> path, null);
        if (lock != null) {
            LOG.info("Data directory {}", path);
        }
    }

    /** tagbridge.data, else karaf.data under Apache Karaf, else ./data; made absolute. */
    static Path locate(UnaryOperator<String> properties) {
        for (String property : new String[] { DataDirectory.PROPERTY, KARAF_DATA }) {
            String value = properties.apply(property);
            if (value != null && !value.isBlank()) {
                return Paths.get(value.trim()).toAbsolutePath().normalize();
            }
        }
        return Paths.get(DEFAULT).toAbsolutePath().normalize();
    }

    @Deactivate
    void deactivate() throws IOException {
        if (registration != null) {
            registration.unregister();
            lock.close();
        }
    }
}
