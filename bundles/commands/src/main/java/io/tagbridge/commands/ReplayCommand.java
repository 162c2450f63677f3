package io.tagbridge.commands;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.tagbridge.api.pipeline.BackupException;
import io.tagbridge.api.pipeline.BackupFile;
import io.tagbridge.api.pipeline.BackupState;
import io.tagbridge.api.pipeline.BatchBackup;

/**
 * {@code backups} lists the backup files; {@code replay} has the writers replay them. On the command line, for a
 * stopped gateway, {@code replay} waits with a progress bar until every pending file is replayed or replay stops
 * moving, and sums up; in the console it queues the files and returns. {@code --dry-run} reads every pending file
 * through and says what a replay would write, without touching the database.
 */
final class ReplayCommand {

    static final String USAGE = "replay [<file>] [--dry-run] [--timeout <seconds>]";
    static final String BACKUPS_USAGE = "backups";
    private static final Duration WAIT_FOR_SERVICES = Duration.ofSeconds(30);
    /** Replay that has not moved for this long is given up on; the summary says which files wait and why. */
    private static final Duration STALLED = Duration.ofSeconds(60);

    private final Services services;
    private final PrintStream out;

    ReplayCommand(Services services, PrintStream out) {
        this.services = services;
        this.out = out;
    }

    boolean list() throws InterruptedException, CommandException {
        List<BackupFile> files = files(backup());
        if (files.isEmpty()) {
            out.println("No backup files in " + backup().directory());
            return true;
        }
        out.printf(Locale.ROOT, "%-48s %-12s %-11s %10s %10s %10s  %s%n", "FILE", "TARGET", "STATE", "ROWS",
                "REPLAYED", "BYTES", "LAST ERROR");
        for (BackupFile f : files) {
            out.printf(Locale.ROOT, "%-48s %-12s %-11s %10d %10d %10d  %s%n", f.id() + (f.open() ? " (open)" : ""),
                    f.target(), f.state().name().toLowerCase(Locale.ROOT), f.rows(), f.rowsReplayed(), f.bytes(),
                    f.lastError());
        }
        return true;
    }

    /**
     * @param wait whether to wait for the replay to finish (the command line) or return once queued (the console)
     * @return whether every file asked for was replayed (or, dry, can be read)
     */
    boolean replay(List<String> args, boolean wait) throws InterruptedException, CommandException, UsageException {
        Options options = Options.parse(args);
        BatchBackup backup = backup();
        List<BackupFile> pending = files(backup).stream()
                .filter(f -> options.file == null ? isPending(f) : f.id().equals(options.file)).toList();
        if (options.file != null && pending.isEmpty()) {
            throw new CommandException("there is no backup file " + options.file + ": 'backups' lists them");
        }
        if (options.dryRun) {
            return dryRun(backup, pending);
        }
        int queued;
        try {
            queued = backup.replay(options.file);
        } catch (BackupException e) {
            throw new CommandException(e.getMessage());
        }
        out.println("Queued " + queued + " backup files for replay");
        if (!wait) {
            out.println("Replay runs in the writers; 'tagbridge:backups' shows how far it is");
            return true;
        }
        return follow(backup, pending.stream().mapToLong(f -> f.rows() - f.rowsReplayed()).sum(), options.timeout);
    }

    private boolean dryRun(BatchBackup backup, List<BackupFile> pending) {
        long values = 0;
        List<String> unreadable = new ArrayList<>();
        for (BackupFile f : pending) {
            try {
                int rows = backup.read(f.path()).size();
                values += rows - f.rowsReplayed();
                out.printf(Locale.ROOT, "would replay %,d values of %s into target %s%n", rows - f.rowsReplayed(),
                        f.id(), f.target());
            } catch (BackupException e) {
                unreadable.add(f.id() + ": " + e.getMessage());
            }
        }
        out.printf(Locale.ROOT, "Dry run: %,d values in %d files would be replayed; nothing was written%n", values,
                pending.size() - unreadable.size());
        unreadable.forEach(u -> out.println("cannot be read, would go to quarantine: " + u));
        return unreadable.isEmpty();
    }

    private boolean follow(BatchBackup backup, long total, Duration timeout)
            throws InterruptedException, CommandException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastLeft = Long.MAX_VALUE;
        long lastMove = System.nanoTime();
        List<BackupFile> left;
        while (true) {
            left = files(backup).stream().filter(ReplayCommand::isPending).toList();
            long values = left.stream().mapToLong(f -> f.rows() - f.rowsReplayed()).sum();
            out.print("\r" + bar(total - values, total) + "  " + left.size() + " files left   ");
            out.flush();
            if (left.isEmpty()) {
                break;
            }
            if (values < lastLeft) {
                lastLeft = values;
                lastMove = System.nanoTime();
            }
            if (System.nanoTime() - lastMove > STALLED.toNanos() || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(1000);
        }
        out.println();
        long quarantined = files(backup).stream().filter(f -> f.state() == BackupState.QUARANTINED)
                .mapToLong(BackupFile::rows).sum();
        if (left.isEmpty()) {
            out.printf(Locale.ROOT, "Replayed: every pending file is in the database%s%n",
                    quarantined == 0 ? "" : "; " + quarantined + " values are in quarantine ('backups' lists them)");
            return quarantined == 0;
        }
        out.println("Replay stopped moving; these files still wait:");
        left.forEach(f -> out.println("  " + f.id() + " (" + (f.rows() - f.rowsReplayed()) + " values)"
                + (f.lastError().isEmpty() ? "" : ": " + f.lastError())));
        out.println("Check that each target's database is reachable (test-connection), then run replay again");
        return false;
    }

    static String bar(long done, long total) {
        int width = 30;
        int filled = total <= 0 ? width : (int) Math.min(width, done * width / total);
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "] "
                + String.format(Locale.ROOT, "%,d/%,d values", Math.max(0, done), total);
    }

    private static boolean isPending(BackupFile f) {
        return f.state() == BackupState.PENDING || f.state() == BackupState.REPLAYING;
    }

    private BatchBackup backup() throws InterruptedException, CommandException {
        BatchBackup backup = services.await(BatchBackup.class, WAIT_FOR_SERVICES);
        if (backup == null) {
            throw new CommandException("the backup service is not running: check the log for io.tagbridge.backup");
        }
        return backup;
    }

    private static List<BackupFile> files(BatchBackup backup) throws CommandException {
        try {
            return backup.files();
        } catch (BackupException e) {
            throw new CommandException(e.getMessage());
        }
    }

    /** The replay command's options. */
    private record Options(String file, boolean dryRun, Duration timeout) {

        static Options parse(List<String> args) throws UsageException {
            String file = null;
            boolean dryRun = false;
            Duration timeout = Duration.ofHours(1);
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (arg.equals("--dry-run")) {
                    dryRun = true;
                } else if (arg.equals("--timeout")) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("--timeout needs a number of seconds");
                    }
                    try {
                        timeout = Duration.ofSeconds(Long.parseLong(args.get(++i)));
                    } catch (NumberFormatException e) {
                        throw new UsageException("--timeout needs a whole number of seconds, not '" + args.get(i) + "'");
                    }
                } else if (arg.startsWith("-")) {
                    throw new UsageException("unknown option '" + arg + "'");
                } else if (file == null) {
                    file = arg;
                } else {
                    throw new UsageException("give one file at most, not '" + file + "' and '" + arg + "'");
                }
            }
            return new Options(file, dryRun, timeout);
        }
    }
}
