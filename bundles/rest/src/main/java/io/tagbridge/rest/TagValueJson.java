package io.tagbridge.rest;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;

/**
 * Reads the body of POST /api/buffer/values: a JSON array of
 * {@code {"tagName": "...", "sourceTime": "2026-01-01T00:00:00.000001Z", "value": 1.5, "quality": 192}}.
 * Every element is checked before any is ingested; the first problem is reported with the element's index
 * and the field's name, and the whole request is refused.
 */
final class TagValueJson {

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

    /**
     * Reads the array as it streams in, one element at a time, so that a body of any size costs the memory of
     * its values only; the value after the {@code max}th ends the request without reading further.
     *
     * @throws IOException when reading the body fails, for example {@link BoundedBody.TooLarge}
     */
    List<TagValue> parse(InputStream body, int max) throws BadInput, IOException {
        List<TagValue> values = new ArrayList<>();
        int index = 0;
        try (JsonParser parser = mapper.getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new BadInput("the body must be a JSON array of tag values");
            }
            BadInput first = null;
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                if (token == null) {
                    throw new BadInput("the body ends before its array is closed", Math.max(1, index));
                }
                if (index == max) {
                    throw new BadInput("the array holds more than " + max + " values; send at most " + max
                            + " per request", index + 1);
                }
                JsonNode node = mapper.readTree(parser);
                if (first == null) {
                    try {
                        values.add(element(node, "[" + index + "]"));
                    } catch (BadInput e) {
                        first = e;
                    }
                }
                index++;
            }
            if (first != null) {
                throw first.of(index);
            }
            if (parser.nextToken() != null) {
                throw new BadInput("the body has more after its array; send one array of tag values", index);
            }
        } catch (JsonProcessingException e) {
            throw new BadInput("the body is not valid JSON: " + e.getOriginalMessage(), Math.max(1, index));
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
