package io.tagbridge.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.monitor.ComponentHealth;
import io.tagbridge.api.monitor.HealthCheck;
import io.tagbridge.api.monitor.HealthStatus;
import io.tagbridge.api.pipeline.DataDirectory;

/**
 * Checks the etc files at start, before FileInstall reads them (the gateway starts at level 12, FileInstall at
 * 13), and reports what it found in health as {@value #NAME} (see {@link DamagedEtcFiles}).
 *
 * <p>A file written again from the store makes it {@code DEGRADED} for {@link #RESTORED_WARNING} after the start,
 * as damaged journal bytes do: the gateway runs as configured, but the operator should look at the file. A file
 * set aside makes it {@code DOWN} until a readable file of that name is back in etc/: the configuration it held is
 * missing, and the built-in default does not stand in for it ({@link DefaultInstances} asks {@link #isSetAside}).
 */
@Component(service = { HealthCheck.class, EtcFileCheck.class }, immediate = true,
        configurationPolicy = ConfigurationPolicy.IGNORE)
public class EtcFileCheck implements HealthCheck {

    static final String NAME = "configuration";
    static final String DAMAGED = "CONFIGURATION_FILE_DAMAGED";
    static final String OK = "CONFIGURATION_OK";
    static final Duration RESTORED_WARNING = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(EtcFileCheck.class);

    private final Clock clock;
    private final List<DamagedEtcFiles.Repair> repairs;

    @Activate
    public EtcFileCheck(BundleContext context, @Reference DataDirectory data,
            @Reference ConfigurationAdmin configurationAdmin) {
        this(ConfigDirectory.of(context), data.path(), configurationAdmin, Clock.systemUTC());
    }

    EtcFileCheck(Path etc, Path dataDirectory, ConfigurationAdmin configurationAdmin, Clock clock) {
        this.clock = clock;
        List<DamagedEtcFiles.Repair> found;
        try {
            found = new DamagedEtcFiles(etc, dataDirectory).repair(configurationAdmin.listConfigurations(null),
                    clock.instant());
        } catch (IOException | InvalidSyntaxException e) {
            LOG.error("Could not check the configuration files in {} before they are read: {}. A damaged file would "
                    + "be read as it is", etc.toAbsolutePath(), e.getMessage());
            found = List.of();
        }
        this.repairs = found;
    }

    /** Whether this etc file was set aside at start and is not back: its configuration must not be made up. */
    boolean isSetAside(Path file) {
        return repairs.stream().anyMatch(r -> !r.restored() && r.file().equals(file) && !isBack(r.file()));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ComponentHealth check() {
        List<DamagedEtcFiles.Repair> missing = repairs.stream().filter(r -> !r.restored() && !isBack(r.file())).toList();
        if (!missing.isEmpty()) {
            return verdict(HealthStatus.DOWN, "SET_ASIDE", missing, "the configuration store held nothing from it, "
                    + "so its configuration is not applied and no built-in default takes its place. Put the file "
                    + "back from a backup, or write it again: it applies within seconds");
        }
        List<DamagedEtcFiles.Repair> restored = repairs.stream()
                .filter(r -> r.restored() && clock.instant().isBefore(r.at().plus(RESTORED_WARNING))).toList();
        if (!restored.isEmpty()) {
            return verdict(HealthStatus.DEGRADED, "RESTORED", restored, "it was written again from the configuration "
                    + "store, as last applied, and the gateway runs with it; its comments are lost: check it. This "
                    + "warning ends " + RESTORED_WARNING.toMinutes() + " minutes after the start");
        }
        return new ComponentHealth(HealthStatus.UP, "READ", OK, repairs.isEmpty()
                ? "every configuration file was readable at start"
                : repairs.size() + " damaged configuration files were dealt with at start (see the log)", "", Map.of());
    }

    /** One sentence per file: what was wrong with it, where its copy is, and {@code what} became of it. */
    private static ComponentHealth verdict(HealthStatus status, String state, List<DamagedEtcFiles.Repair> repairs,
            String what) {
        StringBuilder advice = new StringBuilder();
        for (DamagedEtcFiles.Repair r : repairs) {
            advice.append(advice.length() == 0 ? "" : " ").append(r.file()).append(" was damaged at start (")
                    .append(r.damage()).append(r.copy() == null ? "" : "; a copy is kept as " + r.copy())
                    .append("): ").append(what).append('.');
        }
        return new ComponentHealth(status, state, DAMAGED, advice.toString(), "",
                Map.of("files", repairs.stream().map(r -> r.file().toString()).toList()));
    }

    /** A readable file of that name is in etc/ again: FileInstall applies it. */
    private static boolean isBack(Path file) {
        return Files.exists(file) && DamagedEtcFiles.damage(file) == null;
    }
}
