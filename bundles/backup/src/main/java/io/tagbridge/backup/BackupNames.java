package io.tagbridge.backup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The names of backup files: {@code backup_YYYYMMDD_HHMMSS.csv} (UTC, the second its first row was written), with
 * {@code _2}, {@code _3} ... for further files begun in the same second, and {@code .part} appended while the file
 * is open. Beside a file: {@code .replayed} holds how many of its rows are in the database, {@code .error} why its
 * replay stopped.
 */
final class BackupNames {

    static final String PREFIX = "backup_";
    static final String CLOSED = ".csv";
    static final String OPEN = ".csv.part";
    static final String PROGRESS = ".replayed";
    static final String ERROR = ".error";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss")
            .withZone(ZoneOffset.UTC);

    private BackupNames() {
    }

    static boolean isClosed(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(PREFIX) && name.endsWith(CLOSED) && Files.isRegularFile(file);
    }

    static boolean isOpen(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(PREFIX) && name.endsWith(OPEN) && Files.isRegularFile(file);
    }

    /** The file a new backup file begun at {@code now} gets in {@code directory}: free as closed and as open. */
    static Path free(Path directory, Instant now) {
        String base = PREFIX + STAMP.format(now);
        String name = base;
        for (int n = 2; Files.exists(directory.resolve(name + CLOSED)) || Files.exists(directory.resolve(name + OPEN))
                || Files.exists(directory.resolve(name + CLOSED + PROGRESS)); n++) {
            name = base + "_" + n;
        }
        return directory.resolve(name + OPEN);
    }

    /** The closed name of an open file. */
    static Path closed(Path open) {
        String name = open.getFileName().toString();
        return open.resolveSibling(name.substring(0, name.length() - OPEN.length()) + CLOSED);
    }

    static Path sidecar(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    /** backup_20260101_120000.csv before backup_20260101_120000_2.csv before ..._10.csv. */
    static String order(Path file) {
        String stem = stem(file);
        int underscore = stem.indexOf('_', "yyyyMMdd_".length());
        int n = underscore < 0 ? 1 : parseOr(stem.substring(underscore + 1), Integer.MAX_VALUE);
        String second = underscore < 0 ? stem : stem.substring(0, underscore);
        return second + String.format("%010d", n);
    }

    /** When the file was begun, by its name; null for a name of another shape. */
    static Instant created(Path file) {
        String stem = stem(file);
        String second = stem.length() >= 15 ? stem.substring(0, 15) : stem;
        try {
            return LocalDateTime.parse(second, DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss")).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        String end = name.endsWith(OPEN) ? OPEN : CLOSED;
        return name.substring(PREFIX.length(), Math.max(PREFIX.length(), name.length() - end.length()));
    }

    private static int parseOr(String text, int fallback) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
