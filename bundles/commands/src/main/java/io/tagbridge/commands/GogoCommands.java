package io.tagbridge.commands;

import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The commands in a running gateway's Gogo console: {@code tagbridge:testconnection}, {@code tagbridge:load},
 * {@code tagbridge:backups}, {@code tagbridge:replay}, {@code tagbridge:encrypt} and {@code tagbridge:journalcheck},
 * with the same options as on the command line. While a load test runs the simulator is paused; real drivers go
 * on, and their values are not counted.
 */
@Component(service = GogoCommands.class, property = {
        "osgi.command.scope=tagbridge",
        "osgi.command.function=testconnection",
        "osgi.command.function=load",
        "osgi.command.function=backups",
        "osgi.command.function=replay",
        "osgi.command.function=encrypt",
        "osgi.command.function=journalcheck" })
public class GogoCommands {

    private final BundleContext context;

    @Activate
    public GogoCommands(BundleContext context) {
        this.context = context;
    }

    /** Checks each writer's database and table. Returns 0 when all passed, 1 otherwise. */
    public int testconnection(String... args) {
        return run("test-connection", args);
    }

    /** Drives the pipeline and verifies it. Returns 0 when nothing was lost or duplicated, 1 otherwise. */
    public int load(String... args) {
        return run("load", args);
    }

    /** Lists the backup files: pending, replayed and quarantined. */
    public int backups(String... args) {
        return run("backups", args);
    }

    /** Queues the pending backup files (or one, by its id) for replay; a quarantined file goes back to pending. */
    public int replay(String... args) {
        return run("replay", args);
    }

    /** Prints a secret sealed with this gateway's key, for an etc file. */
    public int encrypt(String... args) {
        return run("encrypt", args);
    }

    /**
     * Checks this gateway's journal, as in use: its newest segment's end is being written. Returns 0 when it is
     * sound, 1 otherwise.
     */
    public int journalcheck(String... args) {
        return run(JournalCheckCommand.NAME, args);
    }

    private int run(String command, String... args) {
        try (Services services = new Services(context)) {
            return new Commands(services, System.out, System.err, true).run(command, List.of(args));
        }
    }
}
