package io.tagbridge.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.tagbridge.api.Quality;
import io.tagbridge.api.TagValue;

class TagValueJsonTest {

    private final TagValueJson json = new TagValueJson(new ObjectMapper());

    private List<TagValue> parse(String body) throws TagValueJson.BadInput, IOException {
        return json.parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), 10_000);
    }

    @Test
    void readsEveryKindOfValueWithItsQualityAndMicrosecondTime() throws Exception {
        var values = parse("""
                [{"tagName":"a","sourceTime":"2026-01-01T12:00:00.000001+01:00","value":42,"quality":192},
                 {"tagName":"b","sourceTime":"2026-01-01T12:00:00Z","value":1.5,"quality":"uncertain"},
                 {"tagName":"c","sourceTime":"2026-01-01T12:00:00Z","value":"open"},
                 {"tagName":"d","sourceTime":"2026-01-01T12:00:00Z","value":true,"quality":0},
                 {"tagName":"e","sourceTime":"2026-01-01T12:00:00Z","value":null,"quality":"BAD"},
                 {"tagName":"f","sourceTime":"2026-01-01T12:00:00Z","value":123456789012345678901234567890}]""");

        assertThat(values).containsExactly(
                new TagValue("a", Instant.parse("2026-01-01T11:00:00.000001Z"), 42L, Quality.GOOD),
                new TagValue("b", Instant.parse("2026-01-01T12:00:00Z"), 1.5, Quality.UNCERTAIN),
                new TagValue("c", Instant.parse("2026-01-01T12:00:00Z"), "open", Quality.GOOD),
                new TagValue("d", Instant.parse("2026-01-01T12:00:00Z"), true, Quality.BAD),
                new TagValue("e", Instant.parse("2026-01-01T12:00:00Z"), null, Quality.BAD),
                new TagValue("f", Instant.parse("2026-01-01T12:00:00Z"),
                        new BigDecimal("123456789012345678901234567890"), Quality.GOOD));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "{\"tagName\":\"a\"}|the body must be a JSON array",
            "[{\"tagName\":\"a\",|the body is not valid JSON",
            "[1]|[0]: must be an object",
            "[{\"sourceTime\":\"2026-01-01T00:00:00Z\",\"value\":1}]|[0].tagName: must be a string",
            "[{\"tagName\":\"\",\"sourceTime\":\"2026-01-01T00:00:00Z\",\"value\":1}]|[0].tagName: is missing or empty",
            "[{\"tagName\":\"a\",\"value\":1}]|[0].sourceTime: must be an ISO-8601 string",
            "[{\"tagName\":\"a\",\"sourceTime\":\"yesterday\",\"value\":1}]|[0].sourceTime: 'yesterday'",
            "[{\"tagName\":\"a\",\"sourceTime\":\"2026-01-01T00:00:00\",\"value\":1}]|[0].sourceTime: '2026-01-01T00:00:00' is not",
            "[{\"tagName\":\"a\",\"sourceTime\":\"2026-01-01T00:00:00Z\",\"value\":[1]}]|[0].value: must be a number",
            "[{\"tagName\":\"a\",\"sourceTime\":\"2026-01-01T00:00:00Z\",\"value\":1,\"quality\":300}]|[0].quality: code 300",
            "[{\"tagName\":\"a\",\"sourceTime\":\"2026-01-01T00:00:00Z\",\"value\":1,\"quality\":\"fine\"}]|[0].quality: 'fine'",
            "[{\"tagName\":\"a\",\"sourceTime\":\"2026-01-01T00:00:00Z\",\"value\":1,\"quality\":1.5}]|[0].quality: must be",
    })
    void badInputIsRefusedNamingTheElementAndField(String body, String expectedStart) {
        assertThatThrownBy(() -> parse(body)).isInstanceOf(TagValueJson.BadInput.class)
                .hasMessageStartingWith(expectedStart);
    }

    @Test
    void theSecondElementsProblemIsReportedWithItsIndex() {
        assertThatThrownBy(() -> parse("""
                [{"tagName":"a","sourceTime":"2026-01-01T00:00:00Z","value":1},
                 {"tagName":"b","sourceTime":"2026-01-01T00:00:00Z","value":{}}]"""))
                .hasMessageStartingWith("[1].value:");
    }

    @Test
    void theValueAfterTheLimitEndsTheRequestWithoutReadingTheRest() {
        String value = "{\"tagName\":\"a\",\"sourceTime\":\"2026-01-01T00:00:00Z\",\"value\":1},";
        String body = "[" + value.repeat(3) + value + " this is never read";

        assertThatThrownBy(() -> json.parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), 3))
                .isInstanceOf(TagValueJson.BadInput.class)
                .hasMessage("the array holds more than 3 values; send at most 3 per request")
                .extracting(e -> ((TagValueJson.BadInput) e).values()).isEqualTo(4);
    }

    @Test
    void aBodyOverTheLimitStopsTheParserAtTheFirstByteTooMany() {
        String body = "[" + "{\"tagName\":\"a\",\"sourceTime\":\"2026-01-01T00:00:00Z\",\"value\":1},".repeat(100)
                + "]";
        var bounded = new BoundedBody(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), 1000);

        assertThatThrownBy(() -> json.parse(bounded, 10_000)).isInstanceOf(BoundedBody.TooLarge.class)
                .hasMessageContaining("larger than 1000 bytes");
    }
}
