package io.tagbridge.itests;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;

/** A bundle's jar with one manifest header changed: a new build of the same code, as an update brings. */
final class ChangedBuild {

    static final String HEADER = "Tagbridge-Test-Build";

    private ChangedBuild() {
    }

    /** The bytes the bundle was installed from. */
    static byte[] bytesOf(Bundle bundle) throws IOException {
        String location = bundle.getLocation().replaceFirst("^reference:", "");
        Path jar = location.contains(":") && !location.startsWith("/") ? Path.of(URI.create(location))
                : Path.of(location);
        return Files.readAllBytes(jar);
    }

    static byte[] of(byte[] jar, int build) throws IOException {
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            Manifest manifest = new Manifest(in.getManifest());
            manifest.getMainAttributes().putValue(HEADER, Integer.toString(build));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(jar.length + 256);
            try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
                for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                    out.putNextEntry(new JarEntry(entry.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
            return bytes.toByteArray();
        }
    }
}
