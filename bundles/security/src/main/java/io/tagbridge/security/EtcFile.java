package io.tagbridge.security;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.BundleContext;

import io.tagbridge.durable.DurableFiles;

/**
 * A configuration file in ./etc that Felix FileInstall reads (key=value lines). Secrets in it are replaced in
 * place, comments and other lines kept, and the file is swapped whole and durably, so that FileInstall never reads
 * half of it and a power cut leaves the clear or the sealed secret, never an empty file.
 */
final class EtcFile {

    static final String FILENAME_PROPERTY = "felix.fileinstall.filename";
    /** The framework property that names the folder FileInstall watches; etc/ without it. */
    static final String DIRECTORY_PROPERTY = "felix.fileinstall.dir";
    private static final Pattern LINE = Pattern.compile("^(\\s*)([^#!=:\\s][^=:\\s]*)(\\s*[=:]\\s*)(.*)$");

    private EtcFile() {
    }

    /** The folder FileInstall reads configuration files from. */
    static Path directory(BundleContext context) {
        String dir = context.getProperty(DIRECTORY_PROPERTY);
        return Path.of(dir == null ? "etc" : dir);
    }

    /** The .cfg file a configuration came from, or null when it did not come from one. */
    static Path of(Object filename) {
        if (!(filename instanceof String name) || !name.endsWith(".cfg")) {
            return null;
        }
        try {
            Path file = name.startsWith("file:") ? Path.of(URI.create(name)) : Path.of(name);
            return Files.isRegularFile(file) ? file : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** @return false when a value is not on a line of its own (continued, escaped): nothing is changed then */
    static boolean replace(Path file, Map<String, String> values) throws IOException {
        List<String> lines = new ArrayList<>();
        int replaced = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
            Matcher m = LINE.matcher(line);
            boolean secret = m.matches() && values.containsKey(m.group(2)) && !m.group(4).endsWith("\\");
            lines.add(secret ? m.group(1) + m.group(2) + m.group(3) + values.get(m.group(2)) : line);
            replaced += secret ? 1 : 0;
        }
        if (replaced != values.size()) {
            return false;
        }
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(line).append(System.lineSeparator()));
        DurableFiles.replace(file, text.toString().getBytes(StandardCharsets.ISO_8859_1));
        return true;
    }
}
