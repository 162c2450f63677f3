package io.tagbridge.gateway;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.osgi.service.cm.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.durable.DurableFiles;

/**
 * Finds the etc files a power cut (or a full disk) damaged before FileInstall reads them, and deals with each so
 * that a configured pool, writer or login never silently becomes the built-in default: FileInstall would apply an
 * empty file as a configuration without settings, and overwrite the last good one in ConfigAdmin's store with it.
 *
 * <p>A damaged file is written again from the configuration ConfigAdmin's store holds for it, as it was last
 * applied (its secrets still sealed); with none stored, it is moved out of etc/ and its configuration stays away.
 * Either way a copy of the damaged file is kept in the data directory, in {@value #FOLDER}/, where FileInstall does
 * not look.
 */
final class DamagedEtcFiles {

    static final String FOLDER = "damaged-etc";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Logger LOG = LoggerFactory.getLogger(DamagedEtcFiles.class);

    /** What became of a damaged file: written again from the store, or set aside. */
    record Repair(Path file, String damage, boolean restored, Path copy, Instant at) {
    }

    private final Path etc;
    private final Path copies;

    DamagedEtcFiles(Path etc, Path dataDirectory) {
        this.etc = etc;
        this.copies = dataDirectory.resolve(FOLDER);
    }

    /** Deals with every damaged etc file, given the configurations ConfigAdmin holds. */
    List<Repair> repair(Configuration[] stored, Instant now) throws IOException {
        if (!Files.isDirectory(etc)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> entries = Files.list(etc)) {
            files = entries.filter(f -> f.getFileName().toString().endsWith(".cfg")).sorted().toList();
        }
        List<Repair> repairs = new ArrayList<>();
        for (Path file : files) {
            String damage = damage(file);
            if (damage != null) {
                repairs.add(repair(file, damage, storedFor(file, stored), now));
            }
        }
        return repairs;
    }

    /** Why FileInstall must not read this file, or null when it may: empty, NUL bytes, or unreadable. */
    static String damage(Path file) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            return "unreadable: " + e;
        }
        if (content.length == 0) {
            return "empty: 0 bytes";
        }
        int nuls = 0;
        for (byte b : content) {
            nuls += b == 0 ? 1 : 0;
        }
        return nuls == 0 ? null : "NUL bytes: " + nuls + " of " + content.length;
    }

    private Repair repair(Path file, String damage, Dictionary<String, Object> good, Instant now) throws IOException {
        Path copy = keepCopy(file, now);
        if (good != null) {
            Map<String, String> settings = new TreeMap<>(EtcFileFormat.settings(good));
            List<String> header = List.of("# Written again by Tagbridge on " + now + " from its configuration store, "
                    + "as last applied: the file", "# was damaged (" + damage + "). Its comments and the order of its "
                    + "lines are lost" + (copy == null ? "." : "; the damaged file is " + copy + "."));
            DurableFiles.replace(file, EtcFileFormat.bytes(EtcFileFormat.merged(header, settings)));
            LOG.error("Configuration file {} was damaged at start ({}): written again from the configuration store, "
                    + "as last applied{}. Check it", file, damage, copy == null ? "" : "; the damaged file is " + copy);
            return new Repair(file, damage, true, copy, now);
        }
        if (copy != null && Files.exists(file)) {
            DurableFiles.delete(file);
        }
        LOG.error("Configuration file {} was damaged at start ({}) and the configuration store holds nothing from it: "
                + "{}; its configuration is not applied and no built-in default takes its place. Put the file back "
                + "from a backup, or write it again", file, damage, copy == null
                        ? "it is left where it is, since it can be neither read nor moved"
                        : "moved it to " + copy);
        return new Repair(file, damage, false, copy, now);
    }

    /**
     * A copy of the damaged file beside the data, for whoever wants to see what the cut left; an unreadable file is
     * moved there instead when the disk is the same.
     *
     * @return null when it can be neither read nor moved
     */
    private Path keepCopy(Path file, Instant now) {
        Path copy = copies.resolve(file.getFileName() + "." + STAMP.format(now));
        try {
            DurableFiles.replace(copy, Files.readAllBytes(file));
            return copy;
        } catch (IOException unreadable) {
            try {
                DurableFiles.move(file, copy);
                return copy;
            } catch (IOException e) {
                return null;
            }
        }
    }

    /**
     * The configuration last applied from the file: the one FileInstall noted it came from, or the one of the PID
     * the file is named after ({@code <pid>.cfg}, {@code <factoryPid>-<name>.cfg}) once the console saved it, which
     * drops FileInstall's note. A configuration of that PID with no setting beyond the built-in default's name is
     * not one: it is what {@link DefaultInstances} made before the file existed.
     */
    private static Dictionary<String, Object> storedFor(Path file, Configuration[] stored) {
        Path absolute = file.toAbsolutePath().normalize();
        String name = file.getFileName().toString();
        Dictionary<String, Object> byName = null;
        for (Configuration configuration : stored == null ? new Configuration[0] : stored) {
            Dictionary<String, Object> properties = configuration.getProperties();
            if (properties == null) {
                continue;
            }
            if (absolute.equals(noted(properties.get(EtcFileFormat.FILENAME)))) {
                return properties;
            }
            if (name.equals(configuration.getPid().replace('~', '-') + ".cfg") && !isBuiltIn(properties)) {
                byName = properties;
            }
        }
        return byName;
    }

    private static boolean isBuiltIn(Dictionary<String, Object> properties) {
        Map<String, String> settings = EtcFileFormat.settings(properties);
        settings.remove("name");
        return settings.isEmpty();
    }

    private static Path noted(Object filename) {
        if (!(filename instanceof String name)) {
            return null;
        }
        try {
            Path file = name.startsWith("file:") ? Path.of(URI.create(name)) : Path.of(name);
            return file.toAbsolutePath().normalize();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
