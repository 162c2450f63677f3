package io.tagbridge.writer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.sink.FailureKind;
import io.tagbridge.api.sink.TagSink;

/**
 * Finds the bad rows of a batch the sink refused as bad data: the batch is written in halves until they are found,
 * k bad rows among n in about k log n single attempts. Good rows are stored; no good row is lost with a bad one, and
 * no bad row is retried forever.
 */
final class Halving {

    /** One single attempt at storing rows: null when they were stored, else the failure. */
    @FunctionalInterface
    interface Attempt {
        Exception write(List<ReceivedValue> rows);
    }

    /** Where rows go that the sink refuses as bad data, with its reason. */
    @FunctionalInterface
    interface BadRows {
        Delivery.Outcome take(List<ReceivedValue> rows, String reason, Tally tally);
    }

    /**
     * What halving a batch found: the outcome for its bad rows, and a failure of another kind that stopped it, with
     * the rows it left unsettled.
     */
    record Isolation(Delivery.Outcome outcome, Exception other, List<ReceivedValue> unsettled, int badRows,
            String firstError) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(Halving.class);

    private Halving() {
    }

    /**
     * Writes the batch in halves until its bad rows are found; they go to {@code badRows} with the sink's error,
     * also after a failure of another kind when {@code settleBadAfterOther}.
     */
    static Isolation isolate(String writer, TagSink sink, List<ReceivedValue> batch, Tally tally,
            boolean settleBadAfterOther, Attempt attempt, BadRows badRows) {
        Map<String, List<ReceivedValue>> bad = new LinkedHashMap<>();
        Deque<List<ReceivedValue>> pending = new ArrayDeque<>();
        pushHalves(pending, batch);
        Exception other = null;
        List<ReceivedValue> unsettled = new ArrayList<>();
        while (!pending.isEmpty()) {
            List<ReceivedValue> chunk = pending.poll();
            Exception failure = attempt.write(chunk);
            if (failure == null) {
                continue;
            }
            if (sink.classify(failure).kind() != FailureKind.BAD_DATA) {
                other = failure;
                unsettled.addAll(chunk);
                pending.forEach(unsettled::addAll);
                break;
            }
            if (chunk.size() == 1) {
                bad.computeIfAbsent("the database refused this row: " + sink.classify(failure).line(),
                        k -> new ArrayList<>()).add(chunk.get(0));
            } else {
                pushHalves(pending, chunk);
            }
        }
        if (other != null && !settleBadAfterOther) {
            return new Isolation(Delivery.Outcome.KEPT, other, unsettled, 0, "");
        }
        Delivery.Outcome outcome = tally.held ? Delivery.Outcome.HELD : Delivery.Outcome.SETTLED;
        for (Map.Entry<String, List<ReceivedValue>> rows : bad.entrySet()) {
            LOG.warn("Writer {}: {} rows refused as bad data: {}", writer, rows.getValue().size(), rows.getKey());
            if (badRows.take(rows.getValue(), rows.getKey(), tally) == Delivery.Outcome.HELD) {
                outcome = Delivery.Outcome.HELD;
            }
        }
        return new Isolation(outcome, other, unsettled, bad.values().stream().mapToInt(List::size).sum(),
                bad.isEmpty() ? "" : bad.keySet().iterator().next());
    }

    private static void pushHalves(Deque<List<ReceivedValue>> pending, List<ReceivedValue> chunk) {
        int middle = chunk.size() / 2;
        pending.addFirst(chunk.subList(middle, chunk.size()));
        pending.addFirst(chunk.subList(0, middle));
    }
}
