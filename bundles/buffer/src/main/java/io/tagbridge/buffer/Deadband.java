package io.tagbridge.buffer;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.tagbridge.api.TagValue;

/**
 * Lets pass at the door only the values that tell something new: per tag pattern, a numeric value that moved more
 * than its deadband, any change of a text or boolean value or of the quality, a tag's first value since the start,
 * and, with a heartbeat, the first value that comes that long after the last one stored. No value is invented.
 *
 * <p>It compares with the last value <em>stored</em>, which it learns only once an offer is accepted: an offer
 * refused leaves it as it was, so that the same values offered again are judged the same way. Not thread-safe: the
 * door's lock guards it.
 */
final class Deadband {

    /** What stands for a tag no rule covers, so that its name is matched against the rules once. */
    private static final Last UNBANDED = new Last(null, null, 0, Instant.MIN);

    private final DeadbandSettings settings;
    private final List<DeadbandRule> rules;
    private final List<TagFilter> covered;
    private final Duration heartbeat;
    private final Map<String, Last> last = new HashMap<>();

    /** A tag's last stored value, and its rule. */
    record Last(DeadbandRule rule, Object value, int quality, Instant sourceTime) {
    }

    /**
     * An offer sifted: the values that pass, and what they leave as each tag's last stored value.
     *
     * @param kept     the values that pass, in their order; the offer itself when all pass
     * @param filtered how many did not
     */
    record Sifted(List<TagValue> kept, int filtered, Map<String, Last> stored) {
    }

    Deadband(DeadbandSettings settings) {
        this.settings = settings;
        this.rules = settings.rules();
        this.covered = rules.stream().map(r -> TagFilter.of(List.of(r.glob()))).toList();
        this.heartbeat = settings.heartbeat();
    }

    DeadbandSettings settings() {
        return settings;
    }

    Sifted sift(List<TagValue> values) {
        if (rules.isEmpty()) {
            return new Sifted(values, 0, Map.of());
        }
        Map<String, Last> stored = new HashMap<>();
        List<TagValue> kept = null;
        for (int i = 0; i < values.size(); i++) {
            TagValue v = values.get(i);
            Last before = stored.get(v.tagName());
            if (before == null) {
                before = last.computeIfAbsent(v.tagName(), this::firstSight);
            }
            if (before == UNBANDED || passes(before, v)) {
                if (before != UNBANDED) {
                    stored.put(v.tagName(), new Last(before.rule, v.value(), v.quality().code(), v.sourceTime()));
                }
                if (kept != null) {
                    kept.add(v);
                }
            } else if (kept == null) {
                kept = new ArrayList<>(values.subList(0, i));
            }
        }
        return kept == null ? new Sifted(values, 0, stored) : new Sifted(kept, values.size() - kept.size(), stored);
    }

    /** The sifted offer was accepted: its values are the last stored ones of their tags now. */
    void remember(Sifted sifted) {
        last.putAll(sifted.stored);
    }

    /** A tag seen for the first time: its rule, and no last value, so that its first value passes. */
    private Last firstSight(String tag) {
        for (int i = 0; i < rules.size(); i++) {
            if (covered.get(i).test(tag)) {
                return new Last(rules.get(i), null, -1, null);
            }
        }
        return UNBANDED;
    }

    private boolean passes(Last before, TagValue v) {
        if (before.sourceTime == null || before.quality != v.quality().code()) {
            return true;
        }
        if (!heartbeat.isZero() && !v.sourceTime().isBefore(before.sourceTime.plus(heartbeat))) {
            return true;
        }
        Object now = v.value();
        if (number(now) && number(before.value)) {
            return before.rule.movedEnough(((Number) before.value).doubleValue(), ((Number) now).doubleValue());
        }
        return !Objects.equals(before.value, now);
    }

    private static boolean number(Object value) {
        return value instanceof Long || value instanceof Double || value instanceof BigDecimal;
    }
}
