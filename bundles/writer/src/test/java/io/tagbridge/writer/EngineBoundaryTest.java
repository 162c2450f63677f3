package io.tagbridge.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The engine knows sinks only through the seam: none of its classes may use JDBC, or a new kind of target would
 * have to bring a database along. Reads the compiled classes' constant pools, where every type they use is named.
 */
class EngineBoundaryTest {

    @Test
    void noEngineClassUsesJdbc() throws IOException {
        Path classes = Path.of("target/classes/io/tagbridge/writer");
        List<String> usingJdbc;
        try (Stream<Path> files = Files.walk(classes)) {
            usingJdbc = files.filter(f -> f.toString().endsWith(".class")).filter(EngineBoundaryTest::usesJdbc)
                    .map(f -> classes.relativize(f).toString()).toList();
        }
        assertThat(classes).isDirectory();
        assertThat(usingJdbc).isEmpty();
    }

    private static boolean usesJdbc(Path classFile) {
        try {
            String pool = new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
            return pool.contains("java/sql/") || pool.contains("javax/sql/");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
