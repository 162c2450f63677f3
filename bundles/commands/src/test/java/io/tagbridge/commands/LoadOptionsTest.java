package io.tagbridge.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class LoadOptionsTest {

    @Test
    void theSeedsCommandLineParsesWithOneHundredTagsByDefault() throws Exception {
        assertThat(LoadOptions.parse(List.of("--rate", "1000", "--duration", "60")))
                .isEqualTo(new LoadOptions(1000, 60, 100, false, null));
    }

    @Test
    void maxRateTagsAndJsonAreUnderstood() throws Exception {
        assertThat(LoadOptions.parse(List.of("--json", "--rate", "max", "--duration", "5", "--tags", "7")))
                .isEqualTo(new LoadOptions(0, 5, 7, true, null));
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> LoadOptions.parse(List.of("--rate", "fast", "--duration", "5")))
                .hasMessage("--rate must be a whole number from 1 to 10000000, not 'fast', or max");
        assertThatThrownBy(() -> LoadOptions.parse(List.of("--rate", "10"))).hasMessage("--duration is required");
        assertThatThrownBy(() -> LoadOptions.parse(List.of("--rate", "--duration", "5")))
                .hasMessage("--rate needs a value");
        assertThatThrownBy(() -> LoadOptions.parse(List.of("--rate", "1", "--duration", "5", "--verbose")))
                .hasMessage("unknown option '--verbose'");
        assertThatThrownBy(() -> LoadOptions.parse(List.of("--rate", "1", "--duration", "0")))
                .hasMessageContaining("--duration must be a whole number from 1 to 86400");
    }
}
