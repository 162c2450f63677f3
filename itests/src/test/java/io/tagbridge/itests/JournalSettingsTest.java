package io.tagbridge.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import org.osgi.util.tracker.ServiceTracker;

import io.tagbridge.api.TagIngest;
import io.tagbridge.api.pipeline.BufferStatus;
import io.tagbridge.api.pipeline.TagBuffer;

/**
 * Switching the journal off while it holds a backlog waits until every target has written it, says so meanwhile,
 * and then keeps values in memory; nothing is left behind on disk.
 */
@ExtendWith({ BundleContextExtension.class, ServiceExtension.class })
class JournalSettingsTest {

    @InjectService
    ConfigurationAdmin cm;

    @InjectBundleContext
    BundleContext context;

    private BufferStatus status(ServiceTracker<TagBuffer, TagBuffer> buffer) throws InterruptedException {
        return buffer.waitForService(TestPipeline.TIMEOUT.toMillis()).status();
    }

    @Test
    void switchingTheJournalOffWaitsUntilItsBacklogIsWrittenAndThenKeepsValuesInMemory() throws Exception {
        Assumptions.assumeFalse(TestDatabase.isOracle(), "the test needs an H2 server process it can kill");
        ServiceTracker<TagBuffer, TagBuffer> buffer = new ServiceTracker<>(context, TagBuffer.class, null);
        ServiceTracker<TagIngest, TagIngest> ingest = new ServiceTracker<>(context, TagIngest.class, null);
        buffer.open();
        ingest.open();
        try (H2ServerProcess server = new H2ServerProcess(); TestPipeline pipeline = new TestPipeline(cm)) {
            server.start();
            pipeline.pool("drain", server.url("drain"));
            pipeline.writer("drain", "drain", "DRAIN_VALUES", Map.of("retryDelaySeconds", 0.1,
                    "retryMaxDelaySeconds", 0.1, "outageProbeSeconds", 1.0));
            server.kill();
            assertThat(ingest.waitForService(10_000).offer(TestPipeline.values("drain.", 0, 100)).allAccepted())
                    .isTrue();
            Await.until("a backlog of 100", TestPipeline.TIMEOUT,
                    () -> status(buffer).targets().get("drain").backlog(), n -> n == 100);

            pipeline.singleton("io.tagbridge.buffer", Map.of("journal", false));

            BufferStatus pending = Await.until("the buffer to say the change waits", TestPipeline.TIMEOUT,
                    () -> status(buffer), s -> s.diagnosis().reason().equals("STORAGE_CHANGE_PENDING"));
            assertThat(pending.journal()).as("the journal stays on while it holds a backlog").isTrue();
            assertThat(pending.diagnosis().advice()).contains("waits until every writer has written the backlog");

            server.start();
            BufferStatus memory = Await.until("the buffer to keep values in memory once the backlog is written",
                    TestPipeline.TIMEOUT, () -> status(buffer), s -> !s.journal());
            assertThat(memory.diagnosis().reason()).isEqualTo("IN_MEMORY");
            assertThat(TestPipeline.rows(pipeline.dataSource("drain"), "DRAIN_VALUES")).isEqualTo(100);
            assertThat(pipeline.backedUpKeys()).isEmpty();
        } finally {
            new TestPipeline(cm).singleton("io.tagbridge.buffer", Map.of("journal", true));
            Await.until("the journal on again", TestPipeline.TIMEOUT, () -> status(buffer), BufferStatus::journal);
            buffer.close();
            ingest.close();
        }
    }
}
