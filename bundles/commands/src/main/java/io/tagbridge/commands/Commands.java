package io.tagbridge.commands;

import java.io.PrintStream;
import java.util.List;

/** Runs a command by name, for the command line and for the Gogo console alike. */
final class Commands {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE_ERROR = 2;

    static final String USAGE = String.join(System.lineSeparator(),
            "Usage: java -jar tagbridge.jar [command]",
            "  (no command)      run the gateway",
            "  " + ConnectionCheck.USAGE,
            "                    check that each writer can reach its database and write to its table",
            "  " + LoadOptions.USAGE,
            "                    drive the pipeline at a rate, then verify that nothing was lost or duplicated",
            "  " + ReplayCommand.BACKUPS_USAGE,
            "                    list the backup files: pending, replayed and quarantined",
            "  " + ReplayCommand.USAGE,
            "                    replay the backup files into the database, with a progress bar and a summary",
            "  " + JournalCheckOptions.USAGE,
            "                    check the journal after a power cut: segments, damage, ledger, each target's",
            "                    backlog, and what the next start would do; only reads, takes no lock",
            "  " + EncryptCommand.USAGE,
            "                    print a secret encrypted with this gateway's key, for an etc file (password=ENC(...));",
            "                    without the secret, it is asked for");

    private final Services services;
    private final PrintStream out;
    private final PrintStream err;

    private final boolean console;

    Commands(Services services, PrintStream out, PrintStream err) {
        this(services, out, err, false);
    }

    /** @param console whether it runs in the Gogo console, where a replay is queued and not waited for */
    Commands(Services services, PrintStream out, PrintStream err, boolean console) {
        this.console = console;
        this.services = services;
        this.out = out;
        this.err = err;
    }

    /** Returns the exit code: 0 passed, 1 failed, 2 the command line is wrong. */
    int run(String command, List<String> args) {
        try {
            return switch (command) {
                case "test-connection" -> new ConnectionCheck(services, out).run(ConnectionCheck.timeout(args)) ? OK
                        : FAILED;
                case "load" -> load(LoadOptions.parse(args));
                case "backups" -> new ReplayCommand(services, out).list() ? OK : FAILED;
                case "replay" -> new ReplayCommand(services, out).replay(args, !console) ? OK : FAILED;
                case "encrypt" -> new EncryptCommand(services, out).run(args) ? OK : FAILED;
                case JournalCheckCommand.NAME -> new JournalCheckCommand(services, out, console).run(args) ? OK
                        : FAILED;
                case "help", "--help", "-h" -> {
                    out.println(USAGE);
                    yield OK;
                }
                default -> throw new UsageException("unknown command '" + command + "'");
            };
        } catch (UsageException e) {
            err.println(command + ": " + e.getMessage());
            err.println(USAGE);
            return USAGE_ERROR;
        } catch (CommandException e) {
            err.println("FAILED: " + command + ": " + e.getMessage());
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("FAILED: " + command + " was interrupted");
            return FAILED;
        }
    }

    private int load(LoadOptions options) throws InterruptedException, CommandException {
        LoadReport report = new LoadCommand(services, options.json() ? err : out).run(options);
        out.print(options.json() ? report.json() + System.lineSeparator() : report.text());
        return report.passed() ? OK : FAILED;
    }
}
