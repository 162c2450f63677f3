package io.tagbridge.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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

import io.tagbridge.api.IngestResult;
import io.tagbridge.api.RefusalReason;
import io.tagbridge.api.TagIngest;
import io.tagbridge.api.pipeline.BufferStatus;
import io.tagbridge.api.pipeline.TagBuffer;
import io.tagbridge.testkit.Await;
import io.tagbridge.testkit.H2Server;

/**
 * Switching the journal off while it holds a backlog waits until every target has written it, says so meanwhile,
 * and then keeps values in memory; nothing is left behind on disk. A journal that cannot be opened fails closed,
 * or falls back to memory when the operator says so, and is taken up again once it can be opened.
 */
@ExtendWith({ BundleContextExtension.class, ServiceExtension.class })
class JournalSettingsTest {

    @InjectService
    ConfigurationAdmin cm;

    @InjectBundleContext
    BundleContext context;

    private BufferStatus status(ServiceTracker<TagBuffer, TagBuffer> buffer) throws InterruptedException {
        return Seen.buffer(buffer.waitForService(TestPipeline.TIMEOUT.toMillis()).status());
    }

    @Test
    void switchingTheJournalOffWaitsUntilItsBacklogIsWrittenAndThenKeepsValuesInMemory() throws Exception {
        Assumptions.assumeFalse(TestDatabase.isOracle(), "the test needs an H2 server process it can kill");
        ServiceTracker<TagBuffer, TagBuffer> buffer = new ServiceTracker<>(context, TagBuffer.class, null);
        ServiceTracker<TagIngest, TagIngest> ingest = new ServiceTracker<>(context, TagIngest.class, null);
        buffer.open();
        ingest.open();
        try (H2Server server = TestDatabase.h2Server(); TestPipeline pipeline = new TestPipeline(cm)) {
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

    /**
     * A journal directory that cannot be created: a file stands where it should be. (Permissions would not do:
     * the tests may run as root.)
     */
    private static Path blockedJournal() throws Exception {
        Path parent = Files.createTempDirectory("tagbridge-blocked");
        Files.writeString(parent.resolve("in-the-way"), "a file where the journal's directory should be");
        return parent.resolve("in-the-way").resolve("journal");
    }

    private IngestResult offer(ServiceTracker<TagIngest, TagIngest> ingest, int from) throws Exception {
        return Seen.result(ingest.waitForService(TestPipeline.TIMEOUT.toMillis()).offerDurably(
                TestPipeline.values("closed.", from, from + 10)).toCompletableFuture().get());
    }

    @Test
    void aJournalThatCannotBeOpenedRefusesEveryValueAndIsTakenUpOnceItCanBeWithoutARestart() throws Exception {
        ServiceTracker<TagBuffer, TagBuffer> buffer = new ServiceTracker<>(context, TagBuffer.class, null);
        ServiceTracker<TagIngest, TagIngest> ingest = new ServiceTracker<>(context, TagIngest.class, null);
        buffer.open();
        ingest.open();
        Path journal = blockedJournal();
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            pipeline.pool("closed");
            pipeline.writer("closed", "closed", "CLOSED_VALUES", Map.of());
            pipeline.singleton("io.tagbridge.buffer", Map.of("journalDirectory", journal.toString()));

            BufferStatus refusing = Await.until("the buffer to refuse", TestPipeline.TIMEOUT, () -> status(buffer),
                    s -> s.diagnosis().reason().equals("JOURNAL_UNAVAILABLE"));
            IngestResult refused = offer(ingest, 0);
            assertThat(refused.reasonCode()).isEqualTo(RefusalReason.JOURNAL_UNAVAILABLE);
            assertThat(refused.reason()).contains("free space").contains("tried again");
            assertThat(refusing.diagnosis().error()).contains("in-the-way");

            Files.delete(journal.getParent());
            IngestResult taken = Await.until("the journal to be taken up", TestPipeline.TIMEOUT,
                    () -> offer(ingest, 10), IngestResult::allAccepted);
            assertThat(taken.durable()).isTrue();
            assertThat(status(buffer).journal()).isTrue();
            assertThat(Files.isDirectory(journal)).isTrue();
        } finally {
            new TestPipeline(cm).singleton("io.tagbridge.buffer", Map.of("journal", true, "journalDirectory", ""));
            Await.until("the journal back in the data directory", TestPipeline.TIMEOUT, () -> status(buffer),
                    s -> s.journal() && s.diagnosis().reason().equals("JOURNALING"));
            buffer.close();
            ingest.close();
        }
    }

    @Test
    void withWhenJournalUnavailableMemoryValuesAreAcceptedButNotDurableWhileTheJournalCannotBeOpened()
            throws Exception {
        ServiceTracker<TagBuffer, TagBuffer> buffer = new ServiceTracker<>(context, TagBuffer.class, null);
        ServiceTracker<TagIngest, TagIngest> ingest = new ServiceTracker<>(context, TagIngest.class, null);
        buffer.open();
        ingest.open();
        Path journal = blockedJournal();
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            pipeline.pool("memory");
            pipeline.writer("memory", "memory", "MEMORY_VALUES", Map.of());
            pipeline.singleton("io.tagbridge.buffer", Map.of("journalDirectory", journal.toString(),
                    "whenJournalUnavailable", "MEMORY"));

            Await.until("the buffer to keep values in memory", TestPipeline.TIMEOUT, () -> status(buffer),
                    s -> s.diagnosis().reason().equals("JOURNAL_OFF"));
            pipeline.awaitTarget("memory");
            IngestResult taken = offer(ingest, 0);

            assertThat(taken.allAccepted()).isTrue();
            assertThat(taken.durable()).as("in memory only: a power cut would take them").isFalse();
        } finally {
            new TestPipeline(cm).singleton("io.tagbridge.buffer", Map.of("journal", true, "journalDirectory", "",
                    "whenJournalUnavailable", "REFUSE"));
            Await.until("the journal back in the data directory", TestPipeline.TIMEOUT, () -> status(buffer),
                    s -> s.journal() && s.diagnosis().reason().equals("JOURNALING"));
            buffer.close();
            ingest.close();
        }
    }
}
