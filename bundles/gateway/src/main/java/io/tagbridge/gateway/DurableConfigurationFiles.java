package io.tagbridge.gateway;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Locale;

import org.apache.felix.cm.PersistenceManager;
import org.apache.felix.cm.file.ConfigurationHandler;
import org.apache.felix.cm.file.FilePersistenceManager;

import io.tagbridge.durable.DurableFiles;

/**
 * ConfigAdmin's file store, in Felix's own layout and format, written durably. Felix's
 * {@link FilePersistenceManager} writes a configuration without forcing it to disk, and deletes the old file
 * before it renames the new one into place: a power cut can leave a configuration empty, or gone, and a gone
 * pool configuration becomes the built-in default at the next start. Syncing after it returns would leave both
 * windows open, so this writes and deletes itself, through {@link DurableFiles}, and leaves reading to Felix's
 * manager: stores written by it read as before, and a temporary file a cut leaves behind ends in {@code .tmp},
 * which Felix's manager skips.
 */
final class DurableConfigurationFiles implements PersistenceManager {

    private static final String EXTENSION = ".config";
    private static final boolean WINDOWS = System.getProperty("os.name", "").startsWith("Windows");

    private final Path folder;
    private final FilePersistenceManager reader;

    /** Felix's manager would create the folder too, but not so that it survives a power cut with what is in it. */
    DurableConfigurationFiles(Path folder) throws IOException {
        this.folder = folder.toAbsolutePath();
        DurableFiles.createDirectories(this.folder);
        this.reader = new FilePersistenceManager(this.folder.toString());
    }

    @Override
    public boolean exists(String pid) {
        return reader.exists(pid);
    }

    @Override
    @SuppressWarnings("rawtypes") // ConfigAdmin's interface predates generics
    public Dictionary load(String pid) throws IOException {
        return reader.load(pid);
    }

    @Override
    @SuppressWarnings("rawtypes") // ConfigAdmin's interface predates generics
    public Enumeration getDictionaries() throws IOException {
        return reader.getDictionaries();
    }

    @Override
    @SuppressWarnings("rawtypes") // ConfigAdmin's interface predates generics
    public void store(String pid, Dictionary properties) throws IOException {
        DurableFiles.replace(file(pid), out -> ConfigurationHandler.write(out, properties));
    }

    @Override
    public void delete(String pid) throws IOException {
        DurableFiles.delete(file(pid));
    }

    /** Where Felix's manager keeps and looks for a PID's file (its own method for this is not public). */
    Path file(String pid) {
        return folder.resolve(encoded(pid) + EXTENSION);
    }

    /**
     * A PID as Felix's manager names its file: dots (and slashes) separate folders; characters other than
     * {@code a-z A-Z 0-9 space - _} become {@code %} and four hexadecimal digits; on Windows a folder named like a
     * device ({@code CON}, {@code COM1} ...) has its first character encoded too.
     */
    static String encoded(String pid) {
        StringBuilder name = new StringBuilder(pid.length());
        for (char c : pid.replace('.', '/').toCharArray()) {
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '/' || c == ' '
                    || c == '-' || c == '_') {
                name.append(c);
            } else {
                name.append(hex(c));
            }
        }
        return WINDOWS ? withoutDeviceNames(name.toString()) : name.toString();
    }

    private static String withoutDeviceNames(String path) {
        String[] segments = path.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (isDeviceName(segments[i])) {
                segments[i] = hex(segments[i].charAt(0)) + segments[i].substring(1);
            }
        }
        return String.join("/", segments);
    }

    private static boolean isDeviceName(String segment) {
        String upper = segment.toUpperCase(Locale.ROOT);
        if (upper.equals("CON") || upper.equals("PRN") || upper.equals("AUX") || upper.equals("CLOCK$")
                || upper.equals("NUL")) {
            return true;
        }
        // As Felix's manager has it: COM1 to COM8 and LPT1 to LPT8.
        return upper.length() == 4 && (upper.startsWith("COM") || upper.startsWith("LPT")) && upper.charAt(3) > '0'
                && upper.charAt(3) < '9';
    }

    private static String hex(char c) {
        return String.format("%%%04x", (int) c);
    }
}
