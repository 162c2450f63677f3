package io.tagbridge.buffer;

import java.util.EnumMap;
import java.util.Map;

import io.tagbridge.api.pipeline.DropReason;

/** What became of one target's values: settled as written, already stored or backed up, or dropped. */
final class Counters {

    long written;
    long alreadyStored;
    long backedUp;
    final EnumMap<DropReason, Long> dropped = new EnumMap<>(DropReason.class);

    Counters copy() {
        Counters c = new Counters();
        c.written = written;
        c.alreadyStored = alreadyStored;
        c.backedUp = backedUp;
        c.dropped.putAll(dropped);
        return c;
    }

    void drop(DropReason reason, long values) {
        if (values > 0) {
            dropped.merge(reason, values, Long::sum);
        }
    }

    long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }

    long settled() {
        return written + alreadyStored + backedUp + droppedTotal();
    }

    Map<DropReason, Long> droppedByReason() {
        EnumMap<DropReason, Long> all = new EnumMap<>(DropReason.class);
        for (DropReason reason : DropReason.values()) {
            all.put(reason, dropped.getOrDefault(reason, 0L));
        }
        return all;
    }
}
