package io.tagbridge.gateway.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tagbridge.testkit.Await;
import io.tagbridge.testkit.GatewayProcess;

/** A bundle updated in place in the running jar: it stays updated across restarts, until a newer jar brings more. */
class KeptUpdateIT {

    private static final String BUILD = "Tagbridge-Test-Build";

    @TempDir
    Path workDir;

    @Test
    void aBundleUpgradedInTheShellStaysUpgradedAfterARestartAndANewerGatewayJarReplacesIt() throws Exception {
        Path changed = workDir.resolve("writer-changed.jar");
        Files.write(changed, changedWriter(null));
        try (GatewayProcess gateway = new GatewayProcess(workDir.resolve("gateway")).start()) {
            awaitWriting(gateway);
            gateway.shell("tagbridge:upgrade writer " + changed);
            await(gateway, "Updated io.tagbridge.writer to ");
            gateway.shell("headers io.tagbridge.writer");
            await(gateway, BUILD + " = changed");
            Path kept = gateway.workDir.resolve("data/bundles/io.tagbridge.writer.jar");
            assertThat(kept).exists();
            awaitWriting(gateway);

            gateway.stop(Duration.ofSeconds(10));
            gateway.start();
            await(gateway, "from the kept update");
            gateway.shell("headers io.tagbridge.writer");
            awaitTimes(gateway, BUILD + " = changed", 2);
            awaitWriting(gateway);

            gateway.stop(Duration.ofSeconds(10));
            Files.write(kept, changedWriter("0.0.1"));
            gateway.start();
            await(gateway, "newer than the kept update");
            assertThat(kept).as("an older kept update, after a newer jar").doesNotExist();
            awaitWriting(gateway);
        }
    }

    /** The writer bundle of this build with one more header, and another version when one is given. */
    private static byte[] changedWriter(String version) throws IOException {
        Map<String, String> headers = new java.util.HashMap<>(Map.of(BUILD, "changed"));
        if (version != null) {
            headers.put("Bundle-Version", version);
        }
        return ChangedWriter.withHeaders(headers);
    }

    /** Waits until the default writer says it is writing. */
    private static void awaitWriting(GatewayProcess gateway) throws Exception {
        gateway.awaitGet("/api/buffer/health", body -> body.contains("\"state\":\"WRITING\""),
                GatewayProcess.START_TIMEOUT);
    }

    /** Waits until the log says {@code text} {@code times} times, over all the starts it covers. */
    private static void awaitTimes(GatewayProcess gateway, String text, int times) {
        Await.until("the log to say \"" + text + "\" " + times + " times", Duration.ofSeconds(60),
                () -> gateway.log().split(java.util.regex.Pattern.quote(text), -1).length - 1, n -> n >= times,
                gateway::log);
    }

    private static void await(GatewayProcess gateway, String text) throws Exception {
        gateway.awaitLog(java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(text)));
    }
}
