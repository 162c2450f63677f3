package io.tagbridge.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.tagbridge.api.security.SecretBox;

/**
 * Where secrets sealed with the gateway's key are kept: in ConfigAdmin's configurations (the store in the data
 * directory) and in the etc files FileInstall reads. While there is one, the key that sealed it must not be
 * replaced.
 */
final class SealedValues {

    private static final Pattern LINE = Pattern.compile("^\\s*([^#!=:\\s][^=:\\s]*)\\s*[=:]\\s*(.*?)\\s*$");

    private SealedValues() {
    }

    /** Where sealed values are, by configuration and by file; empty when there are none. */
    static List<String> find(ConfigurationAdmin configurationAdmin, Path etc) throws IOException {
        List<String> found = new ArrayList<>(inConfigurations(configurationAdmin));
        found.addAll(inEtcFiles(etc));
        return found;
    }

    static List<String> inConfigurations(ConfigurationAdmin configurationAdmin) throws IOException {
        Configuration[] all;
        try {
            all = configurationAdmin.listConfigurations(null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("no filter cannot be invalid", e);
        }
        List<String> found = new ArrayList<>();
        for (Configuration configuration : all == null ? new Configuration[0] : all) {
            if (holdsSealed(configuration.getProperties())) {
                found.add("configuration " + configuration.getPid());
            }
        }
        return found;
    }

    static List<String> inEtcFiles(Path etc) throws IOException {
        if (!Files.isDirectory(etc)) {
            return List.of();
        }
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(etc)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".cfg")).sorted().toList()) {
                if (holdsSealed(file)) {
                    found.add(file.toString());
                }
            }
        }
        return found;
    }

    private static boolean holdsSealed(Dictionary<String, Object> properties) {
        return properties != null && Collections.list(properties.keys()).stream().anyMatch(key -> SecretBox
                .isSecretName(key) && properties.get(key) instanceof String value && SecretBox.isSealed(value));
    }

    /** A file that cannot be read may hold sealed values too: it counts as holding some. */
    private static boolean holdsSealed(Path file) {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
                Matcher m = LINE.matcher(line);
                if (m.matches() && SecretBox.isSecretName(m.group(1)) && SecretBox.isSealed(m.group(2))) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
