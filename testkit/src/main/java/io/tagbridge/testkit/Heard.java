package io.tagbridge.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The words the tests heard from Tagbridge: reason codes in health answers, refusal and drop reasons in the
 * counters, metric names on {@code /metrics}. The helpers that read those answers tell this class; it appends each
 * new word to a file in the folder that the system property {@code tagbridge.heard} names (nothing without it). The
 * readme-coverage module then fails the build when a word the README documents was never heard: a documented code
 * that no test produces is a promise without proof.
 */
public final class Heard {

    /** The kinds of words, one file each. */
    public enum Kind {
        REASON, REFUSAL, DROP, METRIC
    }

    private static final Set<String> ALREADY = new HashSet<>();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Heard() {
    }

    public static void reason(String code) {
        record(Kind.REASON, code);
    }

    public static void refusal(String reason) {
        record(Kind.REFUSAL, reason);
    }

    public static void drop(String reason) {
        record(Kind.DROP, reason);
    }

    public static void metric(String name) {
        record(Kind.METRIC, name);
    }

    /**
     * An answer of the gateway's HTTP API: the reason codes of a health answer, the refusal and drop reasons of the
     * metrics, the reason code of a refused ingest, and the metric names of {@code /metrics}.
     */
    public static void answer(String path, String body) {
        if (path.equals("/metrics")) {
            body.lines().filter(line -> line.startsWith("# TYPE ")).map(line -> line.split(" ")[2])
                    .forEach(Heard::metric);
            return;
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException notJson) {
            return;
        }
        if (json == null) {
            return;
        }
        json.findParents("reasonCode").forEach(p -> refusal(p.get("reasonCode").asText()));
        if (path.startsWith("/api/buffer/health")) {
            json.findValues("reason").forEach(r -> reason(r.asText()));
        }
        json.findValues("refused").forEach(r -> counted(r, Heard::refusal));
        json.findValues("dropped").forEach(d -> counted(d, Heard::drop));
    }

    private static void counted(JsonNode byReason, Consumer<String> hear) {
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) byReason::fields) {
            if (e.getValue().asLong() > 0) {
                hear.accept(e.getKey());
            }
        }
    }

    /** The file a kind of word goes to in {@code folder}, one per process so that parallel runs never mix lines. */
    public static Path file(Path folder, Kind kind) {
        return folder.resolve(kind.name().toLowerCase() + "." + ProcessHandle.current().pid() + ".txt");
    }

    private static synchronized void record(Kind kind, String word) {
        String folder = System.getProperty("tagbridge.heard", "");
        if (folder.isBlank() || word == null || word.isBlank() || !ALREADY.add(kind + " " + word)) {
            return;
        }
        try {
            Path dir = Path.of(folder);
            Files.createDirectories(dir);
            Files.writeString(file(dir, kind), word + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the word " + word + " in " + folder, e);
        }
    }
}
