package io.tagbridge.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tagbridge.api.security.SecretBox;

class KeyFileSecretBoxTest {

    @TempDir
    Path data;

    @Test
    void aSealedSecretOpensWithTheSameKeyAfterARestartAndShowsNothingOfTheClearText() throws Exception {
        Path key = data.resolve(KeyFileSecretBox.KEY_FILE);
        String sealed = new KeyFileSecretBox(key).seal("Tiger-Pass-1");

        assertThat(sealed).startsWith("ENC(").endsWith(")").doesNotContain("Tiger");
        assertThat(SecretBox.isSealed(sealed)).isTrue();
        assertThat(new KeyFileSecretBox(key).open(sealed)).isEqualTo("Tiger-Pass-1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    }

    @Test
    void sealingTwiceGivesDifferentTextsAndASealedValueIsNotSealedAgain() throws Exception {
        KeyFileSecretBox box = new KeyFileSecretBox(data.resolve(KeyFileSecretBox.KEY_FILE));
        String once = box.seal("same");

        assertThat(box.seal("same")).isNotEqualTo(once);
        assertThat(box.seal(once)).isEqualTo(once);
        assertThat(box.open("typed-by-hand")).as("clear text passes through").isEqualTo("typed-by-hand");
    }

    @Test
    void aSecretSealedWithAnotherKeySaysToEnterItAgain() throws Exception {
        String sealed = new KeyFileSecretBox(data.resolve("other.key")).seal("x");
        KeyFileSecretBox box = new KeyFileSecretBox(data.resolve(KeyFileSecretBox.KEY_FILE));

        assertThatThrownBy(() -> box.open(sealed)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("another key").hasMessageContaining("enter it again in clear text");
    }

    @Test
    void secretsAreThePropertiesNamedPassword() {
        assertThat(SecretBox.isSecretName("password")).isTrue();
        assertThat(SecretBox.isSecretName("trustStorePassword")).isTrue();
        assertThat(SecretBox.isSecretName("org.apache.felix.https.keystore.password")).isTrue();
        assertThat(SecretBox.isSecretName("username")).isFalse();
    }
}
