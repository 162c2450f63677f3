package io.tagbridge.buffer;

import java.util.EnumMap;
import java.util.Map;

import io.tagbridge.api.IngestResult;
import io.tagbridge.api.RefusalReason;

/**
 * What the door counts, kept in the ledger: every value offered is accepted, refused (by reason) or filtered by the
 * deadband. The door's lock guards the counts; the last refusal is read without it.
 */
final class DoorCounters {

    long offered;
    long accepted;
    long filtered;
    private final EnumMap<RefusalReason, Long> refused = new EnumMap<>(RefusalReason.class);
    volatile String lastRefusal = "";

    void accept(int kept, int filteredNow) {
        offered += kept + filteredNow;
        accepted += kept;
        filtered += filteredNow;
    }

    void refuse(IngestResult refusal) {
        offered += refusal.refused();
        refused.merge(refusal.reasonCode(), (long) refusal.refused(), Long::sum);
    }

    /** Values found in the journal beyond the ledger: they had been accepted. */
    void recovered(long values) {
        offered += values;
        accepted += values;
    }

    void restore(long offeredBefore, long acceptedBefore, long filteredBefore, Map<RefusalReason, Long> refusedBefore) {
        offered = offeredBefore;
        accepted = acceptedBefore;
        filtered = filteredBefore;
        refused.putAll(refusedBefore);
    }

    /** The refusals by reason, every reason present. */
    EnumMap<RefusalReason, Long> refused() {
        EnumMap<RefusalReason, Long> all = new EnumMap<>(RefusalReason.class);
        for (RefusalReason reason : RefusalReason.values()) {
            all.put(reason, refused.getOrDefault(reason, 0L));
        }
        return all;
    }
}
