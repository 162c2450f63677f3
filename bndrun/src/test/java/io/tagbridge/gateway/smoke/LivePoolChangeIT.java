package io.tagbridge.gateway.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tagbridge.testkit.Await;
import io.tagbridge.testkit.H2Server;
import io.tagbridge.testkit.GatewayProcess;
import io.tagbridge.testkit.Producer;

/** A pool changed through its etc file while values flow: the change applies live, and the buffer keeps every value. */
class LivePoolChangeIT {

    private static final String POOL_FILE = "io.tagbridge.oracle.pool-default.cfg";

    @TempDir
    Path workDir;

    @Test
    void aPoolMovedToAnotherDatabaseInItsEtcFileWritesThereAtOnceAndLosesOrRepeatsNoValue() throws Exception {
        try (H2Server db = new H2Server(workDir.resolve("db")).start();
                GatewayProcess gateway = new GatewayProcess(workDir.resolve("gateway"))
                        .configure(POOL_FILE, pool(db, "before"))
                        .configure("io.tagbridge.simulator.cfg", "enabled=false\n").start()) {
            gateway.awaitGet("/api/buffer/health", body -> body.contains("\"state\":\"WRITING\""),
                    GatewayProcess.START_TIMEOUT);
            Producer producer = new Producer(gateway.port, "moved.", 2_000);
            await("values in the first database", () -> db.storedKeys("before", "moved.").size() > 1_000);

            replace(gateway.workDir.resolve("etc").resolve(POOL_FILE), pool(db, "after"));

            await("values in the second database", () -> db.storedKeys("after", "moved.").size() > 1_000);
            producer.close();
            BitSet accepted = producer.accepted();
            Set<String> expected = new HashSet<>();
            for (int i = accepted.nextSetBit(0); i >= 0; i = accepted.nextSetBit(i + 1)) {
                expected.add(producer.key(i));
            }
            await("every accepted value in one of the databases", () -> stored(db).containsAll(expected));
            List<String> rows = stored(db);
            assertThat(rows).as("rows over both databases, each accepted value once").hasSameSizeAs(expected)
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(gateway.log()).doesNotContain("Exception in thread");
        }
    }

    private static String pool(H2Server db, String database) {
        return "name=default\nurl=" + db.url(database) + "\nusername=sa\npassword=\npoolMin=1\n";
    }

    private static List<String> stored(H2Server db) throws Exception {
        List<String> rows = new ArrayList<>(db.storedKeys("before", "moved."));
        rows.addAll(db.storedKeys("after", "moved."));
        return rows;
    }

    /** Swaps the file whole, as an editor or a deployment tool does, so that FileInstall never reads half of it. */
    private static void replace(Path file, String content) throws Exception {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.writeString(next, content);
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void await(String what, java.util.concurrent.Callable<Boolean> condition) {
        Await.until(what, Duration.ofSeconds(60), condition);
    }
}
