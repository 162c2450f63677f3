package io.tagbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tagbridge.api.monitor.ComponentHealth;
import io.tagbridge.api.monitor.HealthStatus;
import io.tagbridge.api.security.SecretBox;

class SecretKeyComponentTest {

    private static final List<String> SEALED = List.of("configuration io.tagbridge.oracle.pool~default");

    @TempDir
    Path data;

    private final SecurityHealth health = new SecurityHealth();

    private Path keyFile() {
        return data.resolve(KeyFileSecretBox.KEY_FILE);
    }

    @Test
    void aMissingKeyIsNotMadeAnewWhileSealedValuesExistAndHealthSaysWhereToRestoreItFrom() throws Exception {
        SecretBox box = SecretKeyComponent.open(keyFile(), () -> SEALED, health);

        assertThat(box).isNull();
        assertThat(keyFile()).doesNotExist();
        ComponentHealth verdict = health.check();
        assertThat(verdict.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(verdict.reason()).isEqualTo(SecretKeyComponent.MISSING);
        assertThat(verdict.advice()).contains("restore " + keyFile() + " from the backup of the data directory")
                .contains("io.tagbridge.oracle.pool~default").contains("type each of those passwords again in clear text");
    }

    @Test
    void aMissingKeyWithNothingSealedIsMadeReadableByItsOwnerOnlyAndSealsAndOpens() throws Exception {
        SecretBox box = SecretKeyComponent.open(keyFile(), List::of, health);

        assertThat(box.open(box.seal("Tiger-Pass-1"))).isEqualTo("Tiger-Pass-1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile()))).isEqualTo("rw-------");
        assertThat(health.check().reason()).isEqualTo(SecurityHealth.OK);
    }

    @Test
    void anEmptyKeyFileWithSealedValuesIsLeftAsItIsAndHealthSaysItIsUnreadable() throws Exception {
        Files.createDirectories(keyFile().getParent());
        Files.write(keyFile(), new byte[0]);

        SecretBox box = SecretKeyComponent.open(keyFile(), () -> SEALED, health);

        assertThat(box).isNull();
        assertThat(keyFile()).isEmptyFile();
        assertThat(health.check().reason()).isEqualTo(SecretKeyComponent.UNREADABLE);
    }

    @Test
    void anUnreadableKeyWithNothingSealedIsKeptAsideAndReplaced() throws Exception {
        Files.createDirectories(keyFile().getParent());
        Files.writeString(keyFile(), "not a key\n");

        SecretBox box = SecretKeyComponent.open(keyFile(), List::of, health);

        assertThat(box.open(box.seal("x"))).isEqualTo("x");
        try (var files = Files.list(keyFile().getParent())) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .anyMatch(name -> name.startsWith("secret.key.unreadable-"));
        }
    }

    @Test
    void theKeyThereIsUsedWithoutLookingForSealedValues() throws Exception {
        String sealed = new KeyFileSecretBox(keyFile()).seal("Tiger-Pass-1");

        SecretBox box = SecretKeyComponent.open(keyFile(), () -> {
            throw new AssertionError("looked for sealed values although the key is there");
        }, health);

        assertThat(box.open(sealed)).isEqualTo("Tiger-Pass-1");
    }
}
