package io.tagbridge.itests;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.osgi.framework.Bundle;

import io.tagbridge.testkit.ChangedJar;

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
        return ChangedJar.withHeaders(jar, Map.of(HEADER, Integer.toString(build)));
    }
}
