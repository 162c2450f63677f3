package io.tagbridge.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One reading of one tag, as a driver hands it over.
 *
 * <p>The source time is kept to the microsecond: digits below a microsecond are cut off, so what is stored
 * is exactly what is read back. The value is a number ({@link Long}, {@link Double}, {@link BigDecimal} or
 * any other {@link Number}, kept as given), a {@link String}, a {@link Boolean}, or {@code null} when the
 * source has no value (usually with a bad quality).
 *
 * @param tagName    the tag's name, 1 to {@value #MAX_TAG_NAME_LENGTH} characters, no control characters
 * @param sourceTime when the source sampled the value
 * @param value      the value, see above
 * @param quality    the OPC quality of the value
 */
@ProviderType
public record TagValue(String tagName, Instant sourceTime, Object value, Quality quality) {

    public static final int MAX_TAG_NAME_LENGTH = 256;
    public static final int MAX_STRING_VALUE_LENGTH = 4000;

    public TagValue {
        checkTagName(tagName);
        Objects.requireNonNull(sourceTime, "sourceTime: is missing");
        sourceTime = sourceTime.truncatedTo(ChronoUnit.MICROS);
        value = checkValue(value);
        Objects.requireNonNull(quality, "quality: is missing");
    }

    public static TagValue of(String tagName, Instant sourceTime, double value, Quality quality) {
        return new TagValue(tagName, sourceTime, value, quality);
    }

    public static TagValue of(String tagName, Instant sourceTime, long value, Quality quality) {
        return new TagValue(tagName, sourceTime, value, quality);
    }

    public static TagValue of(String tagName, Instant sourceTime, boolean value, Quality quality) {
        return new TagValue(tagName, sourceTime, value, quality);
    }

    public static TagValue of(String tagName, Instant sourceTime, String value, Quality quality) {
        return new TagValue(tagName, sourceTime, value, quality);
    }

    private static void checkTagName(String tagName) {
        if (tagName == null || tagName.isEmpty()) {
            throw new IllegalArgumentException("tagName: is missing or empty");
        }
        if (tagName.length() > MAX_TAG_NAME_LENGTH) {
            throw new IllegalArgumentException(
                    "tagName: " + tagName.length() + " characters, at most " + MAX_TAG_NAME_LENGTH + " are allowed");
        }
        for (int i = 0; i < tagName.length(); i++) {
            if (Character.isISOControl(tagName.charAt(i))) {
                throw new IllegalArgumentException("tagName: contains a control character at position " + i);
            }
        }
    }

    private static Object checkValue(Object value) {
        if (value == null || value instanceof Boolean) {
            return value;
        }
        if (value instanceof String s) {
            if (s.length() > MAX_STRING_VALUE_LENGTH) {
                throw new IllegalArgumentException("value: text of " + s.length() + " characters, at most "
                        + MAX_STRING_VALUE_LENGTH + " are allowed");
            }
            return s;
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException(
                        "value: " + d + " cannot be stored; send no value (null) with quality BAD instead");
            }
            return value instanceof Float ? Double.valueOf(Float.toString((Float) value)) : value;
        }
        if (value instanceof Long || value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        throw new IllegalArgumentException("value: type " + value.getClass().getName()
                + " is not supported; use a number, a string, a boolean or null");
    }
}
