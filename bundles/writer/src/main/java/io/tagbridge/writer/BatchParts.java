package io.tagbridge.writer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tagbridge.api.pipeline.ReceivedValue;

/**
 * Parts of a batch. {@link #byTag} splits one into parts that share no tag, for writing through several connections
 * at once: each tag's values stay together and in the batch's order, so whatever the parts' commit order, every
 * tag's rows commit in acceptance order. The largest tags are placed first, each into the smallest part, so that parts come out near
 * equal even when a few tags carry most values.
 */
final class BatchParts {

    private BatchParts() {
    }

    /** At most {@code count} parts, none empty; fewer when the batch has fewer tags. */
    static List<List<ReceivedValue>> byTag(List<ReceivedValue> batch, int count) {
        Map<String, List<ReceivedValue>> byTag = new LinkedHashMap<>();
        for (ReceivedValue value : batch) {
            byTag.computeIfAbsent(value.value().tagName(), tag -> new ArrayList<>()).add(value);
        }
        List<List<ReceivedValue>> tags = new ArrayList<>(byTag.values());
        tags.sort(Comparator.comparingInt((List<ReceivedValue> values) -> values.size()).reversed());
        List<List<ReceivedValue>> parts = new ArrayList<>();
        for (int i = 0; i < Math.min(count, tags.size()); i++) {
            parts.add(new ArrayList<>());
        }
        for (List<ReceivedValue> tag : tags) {
            parts.stream().min(Comparator.comparingInt(List::size)).orElseThrow().addAll(tag);
        }
        return parts;
    }

    /** The batch without the values {@code removed} (the very instances), in the batch's order. */
    static List<ReceivedValue> without(List<ReceivedValue> batch, List<ReceivedValue> removed) {
        Set<ReceivedValue> gone = Collections.newSetFromMap(new IdentityHashMap<>());
        gone.addAll(removed);
        return batch.stream().filter(v -> !gone.contains(v)).toList();
    }
}
