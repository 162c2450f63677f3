package io.tagbridge.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class JournalCheckOptionsTest {

    @Test
    void withoutOptionsTheGatewaysOwnDirectoriesAreChecked() throws Exception {
        assertThat(JournalCheckOptions.parse(List.of())).isEqualTo(new JournalCheckOptions(null, null, false));
    }

    @Test
    void directoriesAreMadeAbsoluteAndJsonIsUnderstood() throws Exception {
        JournalCheckOptions options = JournalCheckOptions.parse(List.of("--data", "d", "--journal", "j/../j2",
                "--json"));

        assertThat(options.data()).isEqualTo(Path.of("d").toAbsolutePath());
        assertThat(options.journal()).isEqualTo(Path.of("j2").toAbsolutePath());
        assertThat(options.json()).isTrue();
    }

    @Test
    void aMissingDirectoryOrAnUnknownOptionSaysWhat() {
        assertThatThrownBy(() -> JournalCheckOptions.parse(List.of("--data"))).isInstanceOf(UsageException.class)
                .hasMessage("--data needs a directory");
        assertThatThrownBy(() -> JournalCheckOptions.parse(List.of("--journal", "--json")))
                .hasMessage("--journal needs a directory");
        assertThatThrownBy(() -> JournalCheckOptions.parse(List.of("--repair"))).hasMessage("unknown option '--repair'");
    }
}
