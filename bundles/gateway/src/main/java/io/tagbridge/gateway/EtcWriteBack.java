package io.tagbridge.gateway;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;

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

import io.tagbridge.durable.DurableFiles;

/**
 * Writes a configuration changed in the web console (or through ConfigAdmin) back into the ./etc file it came
 * from, so that the file and the console never disagree and the change survives FileInstall reading the file
 * again. The file is swapped whole and durably, its comments and order kept: FileInstall never reads half of it,
 * and a power cut leaves the old settings or the new, never an empty file. A secret is written only in its sealed
 * form (see {@link EtcFileFormat}).
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE)
public class EtcWriteBack implements ConfigurationListener {

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
        Map<String, String> settings = EtcFileFormat.settings(properties);
        if (EtcFileFormat.holdsClearSecret(settings)) {
            return; // the secret is being sealed; the configuration's next update writes it
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        List<String> written = EtcFileFormat.merged(lines, settings);
        if (!written.equals(lines)) {
            DurableFiles.replace(file, EtcFileFormat.bytes(written));
            LOG.info("Wrote configuration {} back to {}", properties.get(Constants.SERVICE_PID), file);
        }
    }

    /**
     * The .cfg file a configuration came from: the one FileInstall noted, or else the one FileInstall would read
     * it from ({@code <pid>.cfg}, {@code <factoryPid>-<name>.cfg}), since the console drops FileInstall's note
     * when it saves. Null when there is none.
     */
    private Path file(Configuration configuration) {
        Object noted = configuration.getProperties() == null ? null
                : configuration.getProperties().get(EtcFileFormat.FILENAME);
        Path file;
        if (noted instanceof String name && name.endsWith(".cfg")) {
            file = name.startsWith("file:") ? Path.of(URI.create(name)) : Path.of(name);
        } else {
            file = etc.resolve(configuration.getPid().replace('~', '-') + ".cfg");
        }
        return Files.isRegularFile(file) ? file : null;
    }
}
