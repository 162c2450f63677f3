package io.tagbridge.buffer;

import java.nio.file.Path;
import java.time.ZoneId;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

import io.tagbridge.api.pipeline.JournalCheck;

/**
 * The journal check as a service. It needs nothing, not even the data directory, so that it runs where the
 * pipeline does not: {@code java -jar tagbridge.jar journal-check} starts no pipeline and takes no lock.
 */
@Component(service = JournalCheck.class, configurationPolicy = ConfigurationPolicy.IGNORE)
public class JournalCheckComponent implements JournalCheck {

    @Override
    public Report check(Path directory, boolean inUse) {
        return JournalInspection.inspect(directory.toAbsolutePath().normalize(), inUse, ZoneId.systemDefault());
    }
}
