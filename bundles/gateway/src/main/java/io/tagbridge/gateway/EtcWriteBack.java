package io.tagbridge.gateway;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.security.SecretBox;

/**
 * Writes a configuration changed in the web console (or through ConfigAdmin) back into the ./etc file it came
 * from, so that the file and the console never disagree and the change survives FileInstall reading the file
 * again. The file is swapped whole, its comments and order kept; a secret is written only in its sealed form, and
 * a list as its values separated by commas, as the writer's tag filter reads them.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE)
public class EtcWriteBack implements ConfigurationListener {

    static final String FILENAME = "felix.fileinstall.filename";
    private static final Set<String> NOT_SETTINGS = Set.of(Constants.SERVICE_PID, ConfigurationAdmin.SERVICE_FACTORYPID,
            ConfigurationAdmin.SERVICE_BUNDLELOCATION, FILENAME);
    private static final Pattern LINE = Pattern.compile("^\\s*([^#!=:\\s][^=:\\s]*)\\s*[=:]\\s*(.*)$");
    private static final Logger LOG = LoggerFactory.getLogger(EtcWriteBack.class);

    private final ConfigurationAdmin configurationAdmin;
    private final Path etc;

    @Activate
    public EtcWriteBack(BundleContext context, @Reference ConfigurationAdmin configurationAdmin) {
        this.configurationAdmin = configurationAdmin;
        this.etc = ConfigDirectory.of(context);
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (event.getType() != ConfigurationEvent.CM_UPDATED) {
            return;
        }
        try {
            Configuration[] found = configurationAdmin.listConfigurations("(service.pid=" + event.getPid() + ")");
            if (found != null) {
                writeBack(found[0].getProperties(), file(found[0]));
            }
        } catch (IOException | InvalidSyntaxException | RuntimeException e) {
            LOG.error("Could not write configuration {} back to its etc file: {}. The change applies, but the file "
                    + "still holds the old settings: edit it to match", event.getPid(), e.getMessage());
        }
    }

    private static void writeBack(Dictionary<String, Object> properties, Path file) throws IOException {
        if (file == null || properties == null) {
            return;
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (String key : Collections.list(properties.keys())) {
            Object value = properties.get(key);
            if (NOT_SETTINGS.contains(key) || value == null) {
                continue;
            }
            if (isEmptyList(value)) {
                continue; // an empty list means the default, as a missing key does
            }
            if (value.getClass().isArray() || value instanceof java.util.Collection) {
                settings.put(key, String.join(",", elements(value)));
                continue;
            }
            if (SecretBox.isSecretName(key) && !value.toString().isEmpty() && !SecretBox.isSealed(value.toString())) {
                return; // the secret is being sealed; the configuration's next update writes it
            }
            settings.put(key, value.toString());
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        List<String> written = merged(lines, settings);
        if (!written.equals(lines)) {
            Path temporary = file.resolveSibling("." + file.getFileName() + ".saving");
            Files.write(temporary, written, StandardCharsets.ISO_8859_1);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("Wrote configuration {} back to {}", properties.get(Constants.SERVICE_PID), file);
        }
    }

    /** No values, or only empty ones: what the console's form sends for a list left blank. */
    private static boolean isEmptyList(Object value) {
        return (value.getClass().isArray() || value instanceof java.util.Collection) && elements(value).isEmpty();
    }

    /** A list's values that are not empty, as text: an etc file holds them separated by commas. */
    private static List<String> elements(Object value) {
        List<Object> values = new ArrayList<>();
        if (value.getClass().isArray()) {
            for (int i = 0; i < java.lang.reflect.Array.getLength(value); i++) {
                values.add(java.lang.reflect.Array.get(value, i));
            }
        } else {
            values.addAll((java.util.Collection<?>) value);
        }
        return values.stream().filter(v -> v != null && !v.toString().isEmpty()).map(Object::toString).toList();
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

    private static String escaped(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String unescaped(String value) {
        return value.replace("\\n", "\n").replace("\\\\", "\\");
    }

    /**
     * The .cfg file a configuration came from: the one FileInstall noted, or else the one FileInstall would read
     * it from ({@code <pid>.cfg}, {@code <factoryPid>-<name>.cfg}), since the console drops FileInstall's note
     * when it saves. Null when there is none.
     */
    private Path file(Configuration configuration) {
        Object noted = configuration.getProperties() == null ? null : configuration.getProperties().get(FILENAME);
        Path file;
        if (noted instanceof String name && name.endsWith(".cfg")) {
            file = name.startsWith("file:") ? Path.of(URI.create(name)) : Path.of(name);
        } else {
            file = etc.resolve(configuration.getPid().replace('~', '-') + ".cfg");
        }
        return Files.isRegularFile(file) ? file : null;
    }
}
