package io.tagbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tagbridge.api.monitor.ComponentHealth;
import io.tagbridge.api.monitor.HealthStatus;
import io.tagbridge.api.security.Access;
import io.tagbridge.testkit.ConfigDefaults;

class GatekeeperComponentTest {

    /** The form's throttle (see ConfigDefaults), which every gatekeeper here has. */
    private static final int FAILURES_BEFORE_SLOW_DOWN = ConfigDefaults.of(SecurityConfig.class,
            "failuresBeforeSlowDown");
    private static final int SLOW_DOWN_SECONDS = ConfigDefaults.of(SecurityConfig.class, "slowDownSeconds");

    @TempDir
    Path data;

    private final SecurityHealth health = new SecurityHealth();

    private GatekeeperComponent gatekeeper(String password, KeyFileSecretBox box) throws Exception {
        return new GatekeeperComponent(config("admin", password), () -> data, box, health);
    }

    private KeyFileSecretBox box() throws Exception {
        return new KeyFileSecretBox(data.resolve(KeyFileSecretBox.KEY_FILE));
    }

    @Test
    void withoutAPasswordTheFirstStartGeneratesOneReadableByTheOwnerOnlyAndKeepsOnlyItsHash() throws Exception {
        GatekeeperComponent gatekeeper = gatekeeper("", box());

        Path clear = data.resolve(GeneratedPassword.CLEAR_FILE);
        String generated = Files.readString(clear).trim();
        assertThat(generated).hasSize(20);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(clear))).isEqualTo("rw-------");
        assertThat(Files.readString(data.resolve(GeneratedPassword.HASH_FILE))).startsWith("pbkdf2-sha256$600000$")
                .doesNotContain(generated);
        assertThat(gatekeeper.check("admin", generated, "10.0.0.1")).isEqualTo(Access.GRANTED);
        assertThat(gatekeeper.check("admin", "admin", "10.0.0.1")).isEqualTo(Access.DENIED);
        assertThat(gatekeeper("", box()).check("admin", generated, "10.0.0.1")).as("the same after a restart")
                .isEqualTo(Access.GRANTED);
    }

    @Test
    void aConfiguredPasswordReplacesTheGeneratedOneAndDeletesItsFile() throws Exception {
        gatekeeper("", box());
        String generated = Files.readString(data.resolve(GeneratedPassword.CLEAR_FILE)).trim();
        KeyFileSecretBox box = box();

        GatekeeperComponent gatekeeper = gatekeeper(box.seal("a-Long-Password"), box);

        assertThat(data.resolve(GeneratedPassword.CLEAR_FILE)).doesNotExist();
        assertThat(data.resolve(GeneratedPassword.HASH_FILE)).doesNotExist();
        assertThat(gatekeeper.check("admin", "a-Long-Password", "10.0.0.1")).isEqualTo(Access.GRANTED);
        assertThat(gatekeeper.check("admin", generated, "10.0.0.1")).isEqualTo(Access.DENIED);
    }

    @Test
    void aChangedPasswordAppliesInPlaceAndEndsTheGrantsOfTheOldOne() throws Exception {
        KeyFileSecretBox box = box();
        GatekeeperComponent gatekeeper = gatekeeper("first-Long-Password", box);
        assertThat(gatekeeper.check("admin", "first-Long-Password", "10.0.0.1")).isEqualTo(Access.GRANTED);

        gatekeeper.modified(config("admin", box.seal("second-Long-Password")));

        assertThat(gatekeeper.check("admin", "first-Long-Password", "10.0.0.1")).as("granted a moment ago")
                .isEqualTo(Access.DENIED);
        assertThat(gatekeeper.check("admin", "second-Long-Password", "10.0.0.1")).isEqualTo(Access.GRANTED);
    }

    @Test
    void aPasswordTooShortIsNotUsedAndTheGeneratedOneStays() throws Exception {
        GatekeeperComponent gatekeeper = gatekeeper("short", box());

        assertThat(gatekeeper.check("admin", "short", "10.0.0.1")).isEqualTo(Access.DENIED);
        assertThat(data.resolve(GeneratedPassword.CLEAR_FILE)).exists();
    }

    @Test
    void aDamagedHashOfTheGeneratedPasswordIsMadeAgainFromItsClearFileAndThatPasswordStillLogsIn() throws Exception {
        gatekeeper("", box());
        String generated = Files.readString(data.resolve(GeneratedPassword.CLEAR_FILE)).trim();
        Files.write(data.resolve(GeneratedPassword.HASH_FILE), new byte[0]);

        GatekeeperComponent gatekeeper = gatekeeper("", box());

        assertThat(gatekeeper.check("admin", generated, "10.0.0.1")).isEqualTo(Access.GRANTED);
        assertThat(Files.readString(data.resolve(GeneratedPassword.HASH_FILE))).startsWith("pbkdf2-sha256$");
        assertThat(health.check().reason()).isEqualTo(SecurityHealth.OK);
    }

    @Test
    void aDamagedHashWithoutItsClearFileIsNotReplacedByANewPasswordAndHealthSaysWhatToDo() throws Exception {
        gatekeeper("", box());
        String generated = Files.readString(data.resolve(GeneratedPassword.CLEAR_FILE)).trim();
        Files.delete(data.resolve(GeneratedPassword.CLEAR_FILE));
        Files.write(data.resolve(GeneratedPassword.HASH_FILE), new byte[] { 0, 0, 0, 0 });

        GatekeeperComponent gatekeeper = gatekeeper("", box());

        assertThat(gatekeeper.check("admin", generated, "10.0.0.1")).isEqualTo(Access.DENIED);
        assertThat(data.resolve(GeneratedPassword.CLEAR_FILE)).as("no new password was made").doesNotExist();
        assertThat(data.resolve(GeneratedPassword.HASH_FILE)).hasBinaryContent(new byte[] { 0, 0, 0, 0 });
        ComponentHealth verdict = health.check();
        assertThat(verdict.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(verdict.reason()).isEqualTo(GatekeeperComponent.PASSWORD_HASH_UNREADABLE);
        assertThat(verdict.advice()).contains("etc/io.tagbridge.security.cfg")
                .contains("delete " + data.resolve(GeneratedPassword.HASH_FILE));

        gatekeeper.modified(config("admin", "a-Long-Password"));

        assertThat(gatekeeper.check("admin", "a-Long-Password", "10.0.0.1")).isEqualTo(Access.GRANTED);
        assertThat(health.check().reason()).as("a configured password ends it").isEqualTo(SecurityHealth.OK);
    }

    @Test
    void aSealedPasswordWithoutItsKeyLogsNobodyInAndNoPasswordIsGenerated() throws Exception {
        String sealed = box().seal("a-Long-Password");

        GatekeeperComponent gatekeeper = gatekeeper(sealed, null);

        assertThat(gatekeeper.check("admin", "a-Long-Password", "10.0.0.1")).isEqualTo(Access.DENIED);
        assertThat(data.resolve(GeneratedPassword.CLEAR_FILE)).doesNotExist();
        assertThat(gatekeeper.monitoringNeedsCredentials()).as("health stays readable to say why").isFalse();
    }

    @Test
    void anAddressThatFailsTooOftenIsThrottledWhileOthersAreNot() throws Exception {
        GatekeeperComponent gatekeeper = gatekeeper("a-Long-Password", box());
        for (int i = 0; i < FAILURES_BEFORE_SLOW_DOWN; i++) {
            assertThat(gatekeeper.check("admin", "guess" + i, "10.0.0.66")).isEqualTo(Access.DENIED);
        }

        assertThat(gatekeeper.check("admin", "a-Long-Password", "10.0.0.66")).isEqualTo(Access.THROTTLED);
        assertThat(gatekeeper.retryAfterSeconds("10.0.0.66")).isBetween(1, SLOW_DOWN_SECONDS);
        assertThat(gatekeeper.check("admin", "a-Long-Password", "10.0.0.7")).isEqualTo(Access.GRANTED);
    }

    @Test
    void missingCredentialsAreDeniedWithoutCountingAsAFailure() throws Exception {
        GatekeeperComponent gatekeeper = gatekeeper("a-Long-Password", box());
        for (int i = 0; i < 10; i++) {
            assertThat(gatekeeper.checkHeader(null, "10.0.0.8")).isEqualTo(Access.DENIED);
        }

        assertThat(gatekeeper.checkHeader("Basic YWRtaW46YS1Mb25nLVBhc3N3b3Jk", "10.0.0.8"))
                .as("admin:a-Long-Password").isEqualTo(Access.GRANTED);
    }

    static SecurityConfig config(String username, String password) {
        return new SecurityConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SecurityConfig.class;
            }

            @Override
            public String username() {
                return username;
            }

            @Override
            public String password() {
                return password;
            }

            @Override
            public boolean monitoringNeedsCredentials() {
                return ConfigDefaults.of(SecurityConfig.class, "monitoringNeedsCredentials");
            }

            @Override
            public int failuresBeforeSlowDown() {
                return FAILURES_BEFORE_SLOW_DOWN;
            }

            @Override
            public int slowDownSeconds() {
                return SLOW_DOWN_SECONDS;
            }
        };
    }
}
