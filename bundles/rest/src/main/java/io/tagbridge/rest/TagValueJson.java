package io.tagbridge.rest;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;

/**
 * Reads the body of POST /api/buffer/values: a JSON array of
 * {@code {"tagName": "...", "sourceTime": "2026-01-01T00:00:00.000001Z", "value": 1.5, "quality": 192}}.
 * Every element is checked before any is ingested; the first problem is reported with the element's index
 * and the field's name.
 */
final class TagValueJson {

    static final int MAX_VALUES = 10_000;

    /** The request body is not acceptable; the message names what is wrong. */
    static final class BadInput extends Exception {
        private static final long serialVersionUID = 1L;

        private final int values;

        BadInput(String message) {
            this(message, 1);
        }

        /** @param values how many values the request held; nothing of it is ingested */
        BadInput(String message, int values) {
            super(message);
            this.values = values;
        }

        /** The values refused with the request: its array's size, or 1 when the body is not an array at all. */
        int values() {
            return values;
        }

        BadInput of(int count) {
            return new BadInput(getMessage(), count);
        }
    }

    private final ObjectMapper mapper;

    TagValueJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    List<TagValue> parse(String body) throws BadInput {
        JsonNode root;
        try {
            root = mapper.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw new BadInput("the body is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isArray()) {
            throw new BadInput("the body must be a JSON array of tag values");
        }
        if (root.size() > MAX_VALUES) {
            throw new BadInput("the array holds " + root.size() + " values; send at most " + MAX_VALUES
                    + " per request", root.size());
        }
        List<TagValue> values = new ArrayList<>(root.size());
        try {
            for (int i = 0; i < root.size(); i++) {
                values.add(element(root.get(i), "[" + i + "]"));
            }
        } catch (BadInput e) {
            throw e.of(root.size());
        }
        return values;
    }

    private static TagValue element(JsonNode node, String where) throws BadInput {
        if (!node.isObject()) {
            throw new BadInput(where + ": must be an object with tagName, sourceTime, value and quality");
        }
        JsonNode tagName = node.get("tagName");
        if (tagName == null || !tagName.isTextual()) {
            throw new BadInput(where + ".tagName: must be a string");
        }
        Instant sourceTime = sourceTime(node.get("sourceTime"), where);
        Object value = value(node.get("value"), where);
        Quality quality = quality(node.get("quality"), where);
        try {
            return new TagValue(tagName.asText(), sourceTime, value, quality);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new BadInput(where + "." + e.getMessage());
        }
    }

    private static Instant sourceTime(JsonNode node, String where) throws BadInput {
        if (node == null || !node.isTextual()) {
            throw new BadInput(where + ".sourceTime: must be an ISO-8601 string with an offset, "
                    + "for example 2026-01-01T12:00:00.000001Z");
        }
        try {
            return OffsetDateTime.parse(node.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadInput(where + ".sourceTime: '" + node.asText() + "' is not an ISO-8601 time with an "
                    + "offset, for example 2026-01-01T12:00:00.000001Z");
        }
    }

    private static Object value(JsonNode node, String where) throws BadInput {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : new BigDecimal(node.bigIntegerValue());
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        throw new BadInput(where + ".value: must be a number, a string, a boolean or null");
    }

    private static Quality quality(JsonNode node, String where) throws BadInput {
        try {
            if (node == null || node.isNull()) {
                return Quality.GOOD;
            }
            if (node.isInt()) {
                return Quality.of(node.intValue());
            }
            if (node.isTextual()) {
                return Quality.of(node.asText());
            }
        } catch (IllegalArgumentException e) {
            throw new BadInput(where + "." + e.getMessage());
        }
        throw new BadInput(where + ".quality: must be GOOD, UNCERTAIN, BAD or a code 0..255");
    }
}
