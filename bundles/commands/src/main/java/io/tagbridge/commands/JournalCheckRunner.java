package io.tagbridge.commands;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;

/**
 * Runs {@code java -jar tagbridge.jar journal-check ...}. Unlike the other commands it needs no ConfigAdmin: for
 * this command the data bundle publishes no data directory and takes no lock, so neither the configuration store
 * nor ConfigAdmin nor the pipeline start, and the check reads the journal as it lies, next to a running gateway too.
 * {@link CommandLineRunner} leaves the command to this one.
 *
 * <p>It needs only the launcher's service (optional, so that resolvers outside the jar, Karaf's, need none: the bnd
 * launcher registers it before any bundle starts); the check's service is waited for when the command runs, after
 * every bundle has started. Like {@link CommandLineRunner} it keeps the console from starting, whose banner would spoil
 * the output: this bundle starts before the console.
 */
@Component(service = {})
public class JournalCheckRunner {

    static final String COMMAND = JournalCheckCommand.NAME;

    private final ServiceRegistration<?> registration;

    @Activate
    public JournalCheckRunner(BundleContext context,
            @Reference(service = Object.class, target = "(launcher.arguments=*)",
                    cardinality = ReferenceCardinality.OPTIONAL) Map<String, Object> launcher) {
        List<String> args = launcher == null ? List.of()
                : CommandLineRunner.arguments(launcher.get("launcher.arguments"));
        if (args.isEmpty() || !COMMAND.equals(args.get(0))) {
            registration = null;
            return;
        }
        CommandLineRunner.keepConsoleStopped(context);
        registration = context.registerService(Callable.class, new CommandLineRunner.MainThread(context, args),
                FrameworkUtil.asDictionary(Map.of("main.thread", Boolean.TRUE)));
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
        }
    }
}
