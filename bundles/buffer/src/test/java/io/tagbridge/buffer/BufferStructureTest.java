package io.tagbridge.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The buffer's classes depend on each other in one direction only: a part that calls back into the class that
 * uses it cannot be understood, tested or replaced alone. Reads the compiled classes, where every class one uses is
 * named, and looks for cycles between top-level classes (a nested class counts as its outer one).
 */
class BufferStructureTest {

    private static final Path CLASSES = Path.of("target/classes");
    private static final Pattern REFERENCE = Pattern.compile("io/tagbridge/buffer/[A-Za-z0-9_/]+");

    @Test
    void theBuffersClassesFormNoCycle() throws IOException {
        Map<String, Set<String>> uses = dependencies();
        assertThat(uses).as("classes read from " + CLASSES.toAbsolutePath()).containsKeys("io/tagbridge/buffer/"
                + "JournalBuffer", "io/tagbridge/buffer/Target");
        assertThat(cycles(uses)).isEmpty();
    }

    private static Map<String, Set<String>> dependencies() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(CLASSES.resolve("io/tagbridge/buffer"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String from = topLevel(CLASSES.relativize(file).toString().replace('\\', '/').replace(".class", ""));
                Set<String> to = uses.computeIfAbsent(from, k -> new TreeSet<>());
                Matcher m = REFERENCE.matcher(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
                while (m.find()) {
                    String used = topLevel(m.group());
                    if (!used.equals(from) && Files.exists(CLASSES.resolve(used + ".class"))) {
                        to.add(used);
                    }
                }
            }
        }
        return uses;
    }

    private static String topLevel(String name) {
        int nested = name.indexOf('$');
        return nested < 0 ? name : name.substring(0, nested);
    }

    /** Tarjan's strongly connected components of more than one class. */
    private static List<Set<String>> cycles(Map<String, Set<String>> uses) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<Set<String>> found = new ArrayList<>();
        for (String v : uses.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, uses, index, low, stack, found);
            }
        }
        return found;
    }

    private static void connect(String v, Map<String, Set<String>> uses, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, List<Set<String>> found) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        for (String w : uses.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, uses, index, low, stack, found);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (stack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                found.add(component);
            }
        }
    }
}
