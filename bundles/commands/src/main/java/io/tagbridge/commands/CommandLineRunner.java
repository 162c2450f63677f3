package io.tagbridge.commands;

import java.io.IOException;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a command given on the gateway jar's command line ({@code java -jar tagbridge.jar load ...}). The bnd
 * launcher publishes the command line as the property {@code launcher.arguments} of its own service, and once
 * every bundle has started it calls the {@code main.thread} service on the main thread and exits with the code
 * that service returns, after stopping the framework in order (so writers flush). With no arguments nothing
 * happens here and the gateway runs as usual.
 *
 * <p>It starts before the pipeline's bundles (start level 15) so that it can keep the simulated driver from
 * writing, and the console from starting, while a command runs.
 */
@Component(service = {})
public class CommandLineRunner {

    static final String SIMULATOR_PID = "io.tagbridge.simulator";
    static final String CONSOLE = "org.apache.felix.gogo.shell";

    private static final Logger LOG = LoggerFactory.getLogger(CommandLineRunner.class);

    private final ServiceRegistration<?> registration;

    @Activate
    public CommandLineRunner(BundleContext context, @Reference ConfigurationAdmin configurationAdmin,
            @Reference(service = Object.class, target = "(launcher.arguments=*)",
                    cardinality = ReferenceCardinality.OPTIONAL) Map<String, Object> launcher) {
        List<String> args = launcher == null ? List.of() : arguments(launcher.get("launcher.arguments"));
        if (args.isEmpty() || JournalCheckRunner.COMMAND.equals(args.get(0))) {
            // journal-check runs without ConfigAdmin: JournalCheckRunner starts it
            registration = null;
            return;
        }
        quietSimulator(configurationAdmin);
        keepConsoleStopped(context);
        registration = context.registerService(Callable.class, new MainThread(context, args),
                FrameworkUtil.asDictionary(Map.of("main.thread", Boolean.TRUE)));
    }

    /** The launcher checks that its main thread service is a {@code Callable<Integer>}, so it must be a class. */
    static final class MainThread implements Callable<Integer> {
        private final BundleContext context;
        private final List<String> args;

        MainThread(BundleContext context, List<String> args) {
            this.context = context;
            this.args = args;
        }

        @Override
        public Integer call() {
            try (Services services = new Services(context)) {
                return new Commands(services, System.out, System.err).run(args.get(0), args.subList(1, args.size()));
            }
        }
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
        }
    }

    /**
     * A command does not need the console, whose banner would spoil its output. It starts at a later start level
     * than this bundle; stopping a bundle that has not started yet records it as not to be started, and the
     * framework then passes it by. The gateway's framework starts afresh each time (-runkeep false), so the next
     * run starts it again.
     */
    static void keepConsoleStopped(BundleContext context) {
        for (Bundle bundle : context.getBundles()) {
            if (CONSOLE.equals(bundle.getSymbolicName()) && bundle.getState() != Bundle.ACTIVE) {
                try {
                    bundle.stop();
                } catch (BundleException e) {
                    LOG.warn("Could not keep the console from starting: {}", e.getMessage());
                }
            }
        }
    }

    /** The bnd launcher passes the command line as it got it, a String[]. */
    static List<String> arguments(Object value) {
        return value instanceof String[] array ? Arrays.asList(array) : List.of();
    }


    /**
     * The simulator would write to the configured database while test-connection looks at it; a configuration
     * file for it in ./etc, read later, still wins.
     */
    private static void quietSimulator(ConfigurationAdmin configurationAdmin) {
        try {
            Configuration configuration = configurationAdmin.getConfiguration(SIMULATOR_PID, "?");
            if (configuration.getProperties() == null) {
                Dictionary<String, Object> properties = new Hashtable<>();
                properties.put("enabled", Boolean.FALSE);
                configuration.update(properties);
            }
        } catch (IOException e) {
            LOG.warn("Could not keep the simulator quiet while the command runs: {}", e.getMessage());
        }
    }
}
