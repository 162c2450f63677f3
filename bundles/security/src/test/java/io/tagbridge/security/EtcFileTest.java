package io.tagbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcFileTest {

    @TempDir
    Path etc;

    @Test
    void aSecretIsReplacedOnItsLineAndEveryOtherLineIsKept() throws Exception {
        Path file = etc.resolve("io.tagbridge.oracle.pool-plant.cfg");
        Files.writeString(file, "# the plant's database\nname=plant\npassword = Clear-Text-1\ntrustStorePassword:x\n");

        assertThat(EtcFile.replace(file, Map.of("password", "ENC(abc)", "trustStorePassword", "ENC(def)"))).isTrue();

        assertThat(Files.readString(file)).isEqualTo(
                "# the plant's database\nname=plant\npassword = ENC(abc)\ntrustStorePassword:ENC(def)\n");
        assertThat(EtcFile.of(file.toUri().toString())).isEqualTo(file);
    }

    @Test
    void aValueContinuedOnTheNextLineIsLeftForConfigAdminAndTheFileUntouched() throws Exception {
        Path file = etc.resolve("io.tagbridge.security.cfg");
        Files.writeString(file, "password=Clear\\\n  -Text\n");

        assertThat(EtcFile.replace(file, Map.of("password", "ENC(abc)"))).isFalse();

        assertThat(Files.readString(file)).isEqualTo("password=Clear\\\n  -Text\n");
    }
}
