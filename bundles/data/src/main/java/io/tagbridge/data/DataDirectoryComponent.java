package io.tagbridge.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.annotation.bundle.Capability;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
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
 *
 * <p>For a command that only reads the directory ({@code java -jar tagbridge.jar journal-check}), nothing is
 * created, locked or published either, and the process does not exit: the command runs next to a gateway that
 * holds the directory. The bnd launcher registers the command line before any bundle starts.
 */
// For resolvers (Karaf features, bnd): the directory is registered by hand, once it is locked,
// so DS cannot declare it.
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.tagbridge.api.pipeline.DataDirectory")
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = {})
public class DataDirectoryComponent {

    static final String KARAF_DATA = "karaf.data";
    static final String DEFAULT = "data";
    static final String EXIT_WHEN_IN_USE = "tagbridge.data.exitWhenInUse";
    static final String LAUNCHER_ARGUMENTS = "launcher.arguments";
    /** Commands of the gateway jar that only read the data directory, and may run next to a gateway using it. */
    static final Set<String> READ_ONLY_COMMANDS = Set.of("journal-check");

    private static final Logger LOG = LoggerFactory.getLogger(DataDirectoryComponent.class);

    private final DirectoryLock lock;
    private final ServiceRegistration<DataDirectory> registration;

    @Activate
    public DataDirectoryComponent(BundleContext context,
            @Reference(service = Object.class, target = "(launcher.arguments=*)",
                    cardinality = ReferenceCardinality.OPTIONAL) Map<String, Object> launcher) throws IOException {
        Path path = locate(context::getProperty);
        if (leavesDirectoryAlone(launcher == null ? null : launcher.get(LAUNCHER_ARGUMENTS))) {
            // journal-check only reads, and may run next to a gateway that holds the directory: nothing is created,
            // locked or published, so nothing that keeps state starts.
            LOG.debug("Data directory {} left alone: the command only reads it", path);
            lock = null;
            registration = null;
            return;
        }
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

    /**
     * Whether the gateway jar was started with a command that only reads the data directory: the bnd launcher
     * passes the command line as it got it, a String[].
     */
    static boolean leavesDirectoryAlone(Object arguments) {
        return arguments instanceof String[] args && args.length > 0 && READ_ONLY_COMMANDS.contains(args[0]);
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
