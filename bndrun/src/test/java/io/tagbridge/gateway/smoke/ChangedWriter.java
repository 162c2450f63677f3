package io.tagbridge.gateway.smoke;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.tagbridge.testkit.ChangedJar;

/**
 * The writer bundle of this build with manifest headers changed: a bundle update to give a running gateway. The
 * writer module builds it beside this one, where Failsafe runs the tests.
 */
final class ChangedWriter {

    private static final Path BUILT_IN = Path.of("../bundles/writer/target");

    private ChangedWriter() {
    }

    /** The writer's jar with these headers set. */
    static byte[] withHeaders(Map<String, String> headers) throws IOException {
        return ChangedJar.withHeaders(Files.readAllBytes(ChangedJar.built(BUILT_IN, "writer")), headers);
    }

    /** The writer with one more header, written to {@code into}. */
    static Path writeTo(Path into) throws IOException {
        return Files.write(into, withHeaders(Map.of("Tagbridge-Test-Build", "power-cut")));
    }
}
