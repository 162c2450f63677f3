package io.tagbridge.gateway.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tagbridge.testkit.Await;
import io.tagbridge.testkit.H2Server;
import io.tagbridge.testkit.GatewayProcess;

/**
 * An etc file a power cut left empty never turns a configured pool into the built-in default, which would write a
 * plant's values into a file on the gateway with health UP: the gateway writes the file again from its
 * configuration store, or, with nothing stored, keeps the pool away and says which file to put back.
 */
class DamagedEtcFileIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEALTH = "/api/buffer/health";
    private static final String POOL_FILE = "io.tagbridge.oracle.pool-default.cfg";

    @TempDir
    Path workDir;

    @Test
    void aPoolFileEmptiedSinceTheLastStartIsWrittenAgainFromTheStoreAndTheGatewayWritesToThePlantsDatabase()
            throws Exception {
        try (H2Server db = new H2Server(workDir.resolve("db")).start();
                GatewayProcess gateway = new GatewayProcess(workDir.resolve("gateway"))
                        .configure(POOL_FILE, "# the plant's database\nname=default\nurl=" + db.url("plant")
                                + "\nusername=sa\npassword=\n")) {
            gateway.start();
            gateway.awaitGet(HEALTH, body -> body.contains("\"state\":\"WRITING\""), GatewayProcess.START_TIMEOUT);
            gateway.stop(Duration.ofSeconds(15));
            int before = db.storedKeys("plant", "sim.").size();
            Path poolFile = gateway.workDir.resolve("etc").resolve(POOL_FILE);
            Files.write(poolFile, new byte[0]);

            gateway.start();

            String health = gateway.awaitGet(HEALTH, body -> body.contains("\"state\":\"WRITING\""),
                    GatewayProcess.START_TIMEOUT);
            JsonNode configuration = JSON.readTree(health).get("components").get("configuration");
            assertThat(configuration.get("status").asText()).isEqualTo("DEGRADED");
            assertThat(configuration.get("reason").asText()).isEqualTo("CONFIGURATION_FILE_DAMAGED");
            assertThat(configuration.get("advice").asText()).contains(POOL_FILE).contains("written again");
            await(() -> db.storedKeys("plant", "sim.").size() > before + 1_000);
            assertThat(Files.readString(poolFile)).contains("url=" + db.url("plant"));
            assertThat(gateway.workDir.resolve("data/tagbridge.mv.db")).as("the built-in default's database")
                    .doesNotExist();
            assertThat(gateway.log().split("=== start 2")[1]).containsPattern("ERROR .*" + POOL_FILE + " was damaged");
        }
    }

    @Test
    void aDamagedPoolFileWithNothingStoredIsSetAsideAndNoBuiltInDefaultTakesItsPlace() throws Exception {
        try (GatewayProcess gateway = new GatewayProcess(workDir)
                .configure(POOL_FILE, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0")) {
            gateway.start();

            // DOWN answers 503, which awaitGet does not wait for.
            String health = gateway.await("health naming the damaged file", () -> gateway.get(HEALTH),
                    answer -> answer.body().contains("CONFIGURATION_FILE_DAMAGED"), GatewayProcess.START_TIMEOUT).body();
            JsonNode verdict = JSON.readTree(health);
            assertThat(verdict.get("status").asText()).isEqualTo("DOWN");
            JsonNode configuration = verdict.get("components").get("configuration");
            assertThat(configuration.get("status").asText()).isEqualTo("DOWN");
            assertThat(configuration.get("advice").asText()).contains(POOL_FILE).contains("Put the file back");
            assertThat(workDir.resolve("etc").resolve(POOL_FILE)).as("out of FileInstall's sight").doesNotExist();
            try (var copies = Files.list(workDir.resolve("data/damaged-etc"))) {
                assertThat(copies.map(p -> p.getFileName().toString())).singleElement().asString()
                        .startsWith(POOL_FILE + ".");
            }
            assertThat(workDir.resolve("data/tagbridge.mv.db")).as("the built-in default's database").doesNotExist();
        }
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) {
        Await.until("the plant's database to get new values", Duration.ofSeconds(60), condition);
    }
}
