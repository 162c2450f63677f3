package io.tagbridge.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Version;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.pipeline.DataDirectory;
import io.tagbridge.durable.DurableFiles;

/**
 * Bundles updated in place, kept across restarts. The jar starts a fresh framework from the bundles inside it every
 * time, so a plain {@code update <id> <url>} lasts until the next start. {@code tagbridge:upgrade <bundle> <url>}
 * also keeps the new bundle in the data directory (bundles/), and each start applies what is kept there, before
 * the pipeline starts (hence immediate). A gateway jar that brings a newer version of a bundle wins: the kept one is
 * removed.
 */
@Component(service = KeptUpdates.class, immediate = true,
        property = { "osgi.command.scope=tagbridge", "osgi.command.function=upgrade" })
public class KeptUpdates {

    static final String FOLDER = "bundles";
    private static final Logger LOG = LoggerFactory.getLogger(KeptUpdates.class);

    private final BundleContext context;
    private final Path folder;

    @Activate
    public KeptUpdates(BundleContext context, @Reference DataDirectory data) {
        this.context = context;
        this.folder = data.path().resolve(FOLDER);
        applyKept();
    }

    /**
     * Gogo: {@code tagbridge:upgrade writer /tmp/writer-0.2.1.jar}. The bundle by id, symbolic or short name; the
     * new one by URL or path.
     */
    public String upgrade(String bundle, String url) throws IOException, BundleException {
        Bundle target = find(bundle);
        DurableFiles.createDirectories(folder);
        Path kept = folder.resolve(target.getSymbolicName() + ".jar");
        Path next = folder.resolve(target.getSymbolicName() + ".jar.part");
        try (InputStream in = source(url).toURL().openStream()) {
            Files.copy(in, next, StandardCopyOption.REPLACE_EXISTING);
        }
        Attributes headers = headers(next);
        if (!target.getSymbolicName().equals(symbolicName(headers))) {
            Files.delete(next);
            throw new IllegalArgumentException(url + " is " + symbolicName(headers) + ", not "
                    + target.getSymbolicName() + ": nothing was updated");
        }
        // On disk before it replaces the kept one: a cut must leave the old update or the new, never half a jar.
        DurableFiles.force(next);
        try (InputStream in = Files.newInputStream(next)) {
            target.update(in);
        }
        DurableFiles.move(next, kept);
        String done = "Updated " + target.getSymbolicName() + " to " + target.getVersion() + " from " + url
                + "; kept in " + kept + " for the next starts";
        LOG.info(done);
        return done;
    }

    /** A URL, or a plain path on this gateway. */
    private static URI source(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() == null ? Path.of(url).toAbsolutePath().toUri() : uri;
    }

    private void applyKept() {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path kept : files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                apply(kept);
            }
        } catch (IOException e) {
            LOG.error("Could not read the kept bundle updates in {}: {}. The bundles of the jar run instead", folder,
                    e.getMessage());
        }
    }

    private void apply(Path kept) {
        try {
            Attributes headers = headers(kept);
            String name = symbolicName(headers);
            Version version = Version.parseVersion(headers.getValue("Bundle-Version"));
            Bundle installed = Stream.of(context.getBundles()).filter(b -> b.getSymbolicName().equals(name))
                    .findFirst().orElse(null);
            if (installed == null) {
                LOG.warn("Kept update {} is for {}, which this gateway does not run: it is left alone", kept, name);
            } else if (installed.getVersion().compareTo(version) > 0) {
                DurableFiles.delete(kept);
                LOG.info("This gateway brings {} {}, newer than the kept update {} ({}): the kept one was removed",
                        name, installed.getVersion(), kept.getFileName(), version);
            } else {
                try (InputStream in = Files.newInputStream(kept)) {
                    installed.update(in);
                }
                LOG.info("Updated {} to {} from the kept update {}", name, version, kept);
            }
        } catch (IOException | BundleException | IllegalArgumentException e) {
            LOG.error("Could not apply the kept update {}: {}. The jar's own bundle runs; remove the file or run "
                    + "tagbridge:upgrade again", kept, e.getMessage());
        }
    }

    private Bundle find(String bundle) {
        List<Bundle> all = List.of(context.getBundles());
        return all.stream().filter(b -> bundle.equals(Long.toString(b.getBundleId()))
                || bundle.equals(b.getSymbolicName()) || ("io.tagbridge." + bundle).equals(b.getSymbolicName()))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no bundle " + bundle
                        + ": give its id, its symbolic name, or the short name of a Tagbridge bundle (writer)"));
    }

    private static Attributes headers(Path jar) throws IOException {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            Manifest manifest = in.getManifest();
            if (manifest == null) {
                throw new IllegalArgumentException(jar.getFileName() + " has no manifest: it is not a bundle");
            }
            return manifest.getMainAttributes();
        }
    }

    private static String symbolicName(Attributes headers) {
        String name = headers.getValue("Bundle-SymbolicName");
        if (name == null) {
            throw new IllegalArgumentException("not a bundle: no Bundle-SymbolicName");
        }
        return name.split(";")[0].trim();
    }
}
