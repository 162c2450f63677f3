package io.tagbridge.testkit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** A jar of this build with manifest headers changed: a new build of the same code, as an update brings. */
public final class ChangedJar {

    private ChangedJar() {
    }

    /** The jar with these main manifest headers set, added or replaced; every entry stays as it was. */
    public static byte[] withHeaders(byte[] jar, Map<String, String> headers) throws IOException {
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            Manifest manifest = new Manifest(in.getManifest());
            headers.forEach(manifest.getMainAttributes()::putValue);
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

    /**
     * The jar a module of this build made in its target folder, such as {@code writer-0.3.0-SNAPSHOT.jar} for
     * {@code ../bundles/writer/target} and {@code writer}.
     */
    public static Path built(Path target, String artifactId) throws IOException {
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().matches(artifactId + "-[0-9].*\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("the " + artifactId + " bundle has not been built in "
                            + target));
        }
    }

    /** Whether a file holds a jar whose manifest can be read (a kept bundle update the disk kept whole). */
    public static boolean whole(Path file) {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(file))) {
            if (in.getManifest() == null) {
                return false;
            }
            while (in.getNextJarEntry() != null) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
