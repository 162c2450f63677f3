package io.tagbridge.gateway.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tagbridge.testkit.GatewayProcess;

/**
 * The files behind the gateway's secrets, gone or damaged between two starts: the key that opens sealed values,
 * and the hash of the generated password. Health names each case with its own reason, and nothing opens or logs in
 * with a wrong secret instead.
 */
class DamagedSecurityFileIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEALTH = "/api/buffer/health";

    @TempDir
    Path workDir;

    @Test
    void aSecretKeyGoneOrDamagedWhileSealedValuesExistIsSecretKeyMissingOrUnreadable() throws Exception {
        try (GatewayProcess gateway = new GatewayProcess(workDir)) {
            gateway.start().awaitConsole();
            Path securityFile = workDir.resolve("etc/io.tagbridge.security.cfg");
            gateway.stop(Duration.ofSeconds(15));
            assertThat(Files.readString(securityFile)).as("the password sealed at start").contains("ENC(");
            Path key = workDir.resolve("data/security/secret.key");

            Files.delete(key);
            gateway.start();
            JsonNode missing = security(gateway, "SECRET_KEY_MISSING");
            assertThat(missing.get("status").asText()).isEqualTo("DOWN");
            assertThat(missing.get("advice").asText()).contains("io.tagbridge.security.cfg");
            assertThat(key).as("no new key made while sealed values wait for the old one").doesNotExist();
            gateway.stop(Duration.ofSeconds(15));

            Files.writeString(key, "not a key\n");
            gateway.start();
            JsonNode unreadable = security(gateway, "SECRET_KEY_UNREADABLE");
            assertThat(unreadable.get("status").asText()).isEqualTo("DOWN");
            assertThat(gateway.getAs("/system/console/bundles", GatewayProcess.USER, GatewayProcess.PASSWORD)
                    .statusCode()).as("the sealed password cannot be opened: nobody logs in").isNotEqualTo(200);
        }
    }

    @Test
    void aDamagedPasswordHashWithoutItsClearFileLetsNobodyInAndIsPasswordHashUnreadable() throws Exception {
        try (GatewayProcess gateway = new GatewayProcess(workDir).withoutLogin()) {
            gateway.start();
            Path clear = workDir.resolve("data/initial-admin-password");
            gateway.awaitGet(HEALTH, body -> Files.exists(clear), GatewayProcess.START_TIMEOUT);
            String generated = Files.readString(clear).strip();
            gateway.awaitConsole("admin", generated);
            gateway.stop(Duration.ofSeconds(15));

            Files.delete(clear);
            Files.writeString(workDir.resolve("data/security/admin-password.hash"), "damaged\n");
            gateway.start();

            JsonNode security = security(gateway, "PASSWORD_HASH_UNREADABLE");
            assertThat(security.get("status").asText()).isEqualTo("DOWN");
            assertThat(gateway.getAs("/system/console/bundles", "admin", generated).statusCode())
                    .as("the generated password no longer works").isEqualTo(401);
        }
    }

    private static JsonNode security(GatewayProcess gateway, String reason) throws Exception {
        // DOWN answers 503: any status will do, the body says why
        String body = gateway.await("health to say " + reason, () -> gateway.get(HEALTH),
                answer -> answer.body().contains("\"reason\":\"" + reason + "\""), GatewayProcess.START_TIMEOUT)
                .body();
        return JSON.readTree(body).path("components").path("security");
    }
}
