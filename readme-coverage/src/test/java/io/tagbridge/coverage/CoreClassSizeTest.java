package io.tagbridge.coverage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The bundles that carry values (the buffer, the writer's engine and the sinks) keep classes small enough to read
 * whole: a class over {@value #MAX_LINES} lines does more than one job and is split, not grown.
 */
class CoreClassSizeTest {

    private static final int MAX_LINES = 400;
    private static final Path BUNDLES = Path.of("..", "bundles");
    private static final List<String> CORE = List.of("buffer", "writer", "sink-jdbc", "sink-postgresql");

    @Test
    void noClassOfTheBufferTheWriterOrASinkIsOver400Lines() throws IOException {
        List<String> tooLong;
        try (Stream<Path> sources = CORE.stream().map(b -> BUNDLES.resolve(b).resolve("src/main/java"))
                .flatMap(CoreClassSizeTest::javaFiles)) {
            tooLong = sources.filter(f -> lines(f) > MAX_LINES)
                    .map(f -> BUNDLES.relativize(f) + " (" + lines(f) + " lines)").toList();
        }
        assertThat(CORE).allSatisfy(b -> assertThat(BUNDLES.resolve(b).resolve("src/main/java")).isDirectory());
        assertThat(tooLong).as("classes over %d lines", MAX_LINES).isEmpty();
    }

    private static Stream<Path> javaFiles(Path root) {
        try {
            return Files.walk(root).filter(f -> f.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
