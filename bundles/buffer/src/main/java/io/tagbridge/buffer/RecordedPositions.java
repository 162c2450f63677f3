package io.tagbridge.buffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

import io.tagbridge.buffer.journal.SegmentInspection;

/**
 * Collects, while the segments are read: where each target's position lies (its first record at or after it),
 * and the values after the ledger's head each target takes, as a start counts them.
 */
final class RecordedPositions implements SegmentInspection.RecordVisitor {
    private final List<LedgerTarget> targets;
    private final List<TagFilter> filters = new ArrayList<>();
    private final long head;
    final long[] afterHead;
    long afterHeadValues;
    /** Values lost to damage after the head; see {@link StartPlan#lostAfter}. */
    long lostAfterHead;
    /** Per target: the index of the segment of its position (in the order found, then oldest first), or -1. */
    final int[] segment;
    final int[] offset;
    final long[] received;
    /** Per segment, in the order read: where its data ends. */
    private final List<Integer> dataEnds = new ArrayList<>();

    RecordedPositions(List<LedgerTarget> targets, long head) {
        this.targets = targets;
        this.head = head;
        for (LedgerTarget t : targets) {
            filters.add(TagFilter.of(t.filter()));
        }
        int n = targets.size();
        afterHead = new long[n];
        segment = new int[n];
        offset = new int[n];
        received = new long[n];
        pending = new int[n];
        pendingReceived = new long[n];
        Arrays.fill(segment, -1);
    }

    /** Where each target's position lies in the segment being read; -1 when not in it. */
    private final int[] pending;
    private final long[] pendingReceived;

    void startSegment() {
        Arrays.fill(pending, -1);
    }

    @Override
    public void record(long seq, int count, long receivedMicros, int at, Supplier<List<String>> tagNames) {
        for (int k = 0; k < targets.size(); k++) {
            if (pending[k] < 0 && seq + count > targets.get(k).seq()) {
                pending[k] = at;
                pendingReceived[k] = receivedMicros;
            }
        }
        if (seq + count > head) {
            List<String> names = tagNames.get();
            for (int i = (int) Math.max(0, head - seq); i < count; i++) {
                afterHeadValues++;
                String name = names.get(i);
                for (int k = 0; k < filters.size(); k++) {
                    if (filters.get(k).test(name)) {
                        afterHead[k]++;
                    }
                }
            }
        }
    }

    /** Segments are read newest first: a match in an older one is nearer the position, and wins. */
    void endSegment(SegmentInspection.Result result) {
        dataEnds.add(result.dataEnd());
        for (int k = 0; k < targets.size(); k++) {
            if (pending[k] >= 0) {
                segment[k] = dataEnds.size() - 1;
                offset[k] = pending[k];
                received[k] = pendingReceived[k];
            }
        }
    }

    /** Turns the order read (newest first) into oldest first. */
    void reverse() {
        Collections.reverse(dataEnds);
        int n = dataEnds.size();
        for (int k = 0; k < segment.length; k++) {
            if (segment[k] >= 0) {
                segment[k] = n - 1 - segment[k];
            }
        }
    }

    /** The data bytes from target {@code k}'s position to the end of the journal. */
    long bytesFrom(int k) {
        long bytes = dataEnds.get(segment[k]) - (long) offset[k];
        for (int i = segment[k] + 1; i < dataEnds.size(); i++) {
            bytes += dataEnds.get(i) - (long) SegmentInspection.HEADER;
        }
        return Math.max(0, bytes);
    }
}

