package io.tagbridge.sink.jdbc;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.ReceivedValue;

/**
 * What the table holds already for the keys of a batch, looked up in chunks of {@link #KEYS_PER_LOOKUP} pairs with
 * one statement shape, and how a value compares with what is stored.
 */
final class StoredRows {

    /**
     * Pairs per lookup: a batch of the default size in one round trip, and within Oracle's 1,000 expressions in a
     * list whether it counts the pairs or the values in them.
     */
    static final int KEYS_PER_LOOKUP = 500;

    /** A row's key. */
    record Key(String tag, Instant sourceTime) {
        static Key of(ReceivedValue v) {
            return new Key(v.value().tagName(), v.value().sourceTime());
        }
    }

    /** What a stored row holds, as far as comparing goes. */
    record Row(BigDecimal number, String text, Integer bool, int quality, Instant receivedTime) {

        /** The stored row, for a conflict's example. */
        String describe() {
            Object value = text != null ? text : bool != null ? bool : number;
            return "stored " + value + " (quality " + quality + ", received " + receivedTime + ")";
        }
    }

    private StoredRows() {
    }

    static Map<Key, Row> lookup(PreparedStatement lookup, List<ReceivedValue> values) throws SQLException {
        List<Key> keys = new ArrayList<>(new LinkedHashSet<>(values.stream().map(Key::of).toList()));
        Map<Key, Row> stored = new HashMap<>();
        // Oracle's driver fetches 10 rows per round trip unless told: a lookup's rows come in one.
        lookup.setFetchSize(KEYS_PER_LOOKUP);
        for (int from = 0; from < keys.size(); from += KEYS_PER_LOOKUP) {
            List<Key> chunk = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_LOOKUP));
            for (int i = 0; i < KEYS_PER_LOOKUP; i++) {
                Key key = chunk.get(Math.min(i, chunk.size() - 1));
                lookup.setString(2 * i + 1, key.tag());
                lookup.setObject(2 * i + 2, LocalDateTime.ofInstant(key.sourceTime(), ZoneOffset.UTC));
            }
            try (ResultSet rs = lookup.executeQuery()) {
                while (rs.next()) {
                    Key key = new Key(rs.getString(1), utc(rs.getObject(2, LocalDateTime.class)));
                    int bool = rs.getInt(5);
                    Integer boolOrNull = rs.wasNull() ? null : bool;
                    stored.put(key, new Row(rs.getBigDecimal(3), rs.getString(4), boolOrNull, rs.getInt(6),
                            utc(rs.getObject(7, LocalDateTime.class))));
                }
            }
        }
        return stored;
    }

    /** Whether the value and quality are what the row holds: the same value handed over again. */
    static boolean same(Row stored, TagValue v) {
        if (stored.quality() != v.quality().code()) {
            return false;
        }
        Object value = v.value();
        if (value instanceof String s) {
            return s.equals(stored.text()) && stored.number() == null && stored.bool() == null;
        }
        if (value instanceof Boolean b) {
            return Objects.equals(stored.bool(), b ? 1 : 0) && stored.number() == null && stored.text() == null;
        }
        if (stored.text() != null || stored.bool() != null) {
            return false;
        }
        if (value == null) {
            return stored.number() == null;
        }
        if (stored.number() == null) {
            return false;
        }
        if (value instanceof Double d) {
            return stored.number().doubleValue() == d;
        }
        if (value instanceof Long l) {
            return stored.number().compareTo(BigDecimal.valueOf(l)) == 0;
        }
        return value instanceof BigDecimal d && stored.number().compareTo(d) == 0;
    }

    /** Whether two values of a batch for the same key are the same value. */
    static boolean same(TagValue a, TagValue b) {
        return a.quality().equals(b.quality()) && Objects.equals(a.value(), b.value());
    }

    /** The writer stores UTC in TIMESTAMP columns; read as LocalDateTime, no time zone of this JVM shifts them. */
    private static Instant utc(LocalDateTime t) {
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }
}
