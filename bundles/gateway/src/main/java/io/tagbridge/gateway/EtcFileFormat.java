package io.tagbridge.gateway;

import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.Constants;
import org.osgi.service.cm.ConfigurationAdmin;

import io.tagbridge.api.security.SecretBox;

/**
 * How a configuration is written into an etc file FileInstall reads: one {@code key=value} line per setting, a list
 * as its values separated by commas (as the writer's tag filter reads them), the file's own lines and comments kept
 * where a setting is changed in place.
 */
final class EtcFileFormat {

    /** Where FileInstall notes the file a configuration came from. */
    static final String FILENAME = "felix.fileinstall.filename";
    private static final Set<String> NOT_SETTINGS = Set.of(Constants.SERVICE_PID, ConfigurationAdmin.SERVICE_FACTORYPID,
            ConfigurationAdmin.SERVICE_BUNDLELOCATION, FILENAME);
    private static final Pattern LINE = Pattern.compile("^\\s*([^#!=:\\s][^=:\\s]*)\\s*[=:]\\s*(.*)$");

    private EtcFileFormat() {
    }

    /** A configuration's settings as an etc file holds them, without ConfigAdmin's and FileInstall's own keys. */
    static Map<String, String> settings(Dictionary<String, Object> properties) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String key : Collections.list(properties.keys())) {
            Object value = properties.get(key);
            if (NOT_SETTINGS.contains(key) || value == null) {
                continue;
            }
            if (value.getClass().isArray() || value instanceof Collection) {
                List<String> elements = elements(value);
                if (!elements.isEmpty()) { // an empty list means the default, as a missing key does
                    settings.put(key, String.join(",", elements));
                }
                continue;
            }
            settings.put(key, value.toString());
        }
        return settings;
    }

    /** Whether a secret is still in clear text: it is being sealed, and the sealed form follows. */
    static boolean holdsClearSecret(Map<String, String> settings) {
        return settings.entrySet().stream().anyMatch(e -> SecretBox.isSecretName(e.getKey())
                && !e.getValue().isEmpty() && !SecretBox.isSealed(e.getValue()));
    }

    /** The file's lines with each setting's value replaced, settings it lacks appended, and removed ones dropped. */
    static List<String> merged(List<String> lines, Map<String, String> settings) {
        List<String> merged = new ArrayList<>();
        Map<String, String> left = new LinkedHashMap<>(settings);
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                merged.add(line);
            } else if (left.containsKey(m.group(1))) {
                String value = left.remove(m.group(1));
                merged.add(value.equals(unescaped(m.group(2))) ? line : m.group(1) + "=" + escaped(value));
            }
        }
        left.forEach((key, value) -> merged.add(key + "=" + escaped(value)));
        return merged;
    }

    /** The lines as the file's bytes: FileInstall reads etc files as ISO-8859-1. */
    static byte[] bytes(List<String> lines) {
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(line).append(System.lineSeparator()));
        return text.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A list's values that are not empty, as text. */
    private static List<String> elements(Object value) {
        List<Object> values = new ArrayList<>();
        if (value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                values.add(Array.get(value, i));
            }
        } else {
            values.addAll((Collection<?>) value);
        }
        return values.stream().filter(v -> v != null && !v.toString().isEmpty()).map(Object::toString).toList();
    }

    private static String escaped(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String unescaped(String value) {
        return value.replace("\\n", "\n").replace("\\\\", "\\");
    }
}
