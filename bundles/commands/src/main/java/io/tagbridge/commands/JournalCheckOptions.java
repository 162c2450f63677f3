package io.tagbridge.commands;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code journal-check} was asked to do.
 *
 * @param data    the data directory; null: the gateway's own
 * @param journal the journal's directory; null: the one the buffer is configured with, else journal/ in the data
 *                directory
 * @param json    print one JSON object instead of text
 */
record JournalCheckOptions(Path data, Path journal, boolean json) {

    static final String USAGE = "journal-check [--data <directory>] [--journal <directory>] [--json]";

    static JournalCheckOptions parse(List<String> args) throws UsageException {
        Path data = null;
        Path journal = null;
        boolean json = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--data" -> data = path(args, ++i, arg);
                case "--journal" -> journal = path(args, ++i, arg);
                case "--json" -> json = true;
                default -> throw new UsageException("unknown option '" + arg + "'");
            }
        }
        return new JournalCheckOptions(data, journal, json);
    }

    private static Path path(List<String> args, int i, String option) throws UsageException {
        if (i >= args.size() || args.get(i).startsWith("--") || args.get(i).isBlank()) {
            throw new UsageException(option + " needs a directory");
        }
        try {
            return Path.of(args.get(i)).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new UsageException(option + " names no valid directory: " + e.getMessage());
        }
    }
}
