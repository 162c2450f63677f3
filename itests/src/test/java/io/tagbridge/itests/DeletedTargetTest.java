package io.tagbridge.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

import io.tagbridge.api.TagIngest;
import io.tagbridge.api.monitor.PipelineMonitor;
import io.tagbridge.api.pipeline.DropReason;
import io.tagbridge.testkit.Await;

/**
 * A writer whose configuration is deleted: the buffer keeps its unsent values for a while, in case it comes back,
 * then releases them, and they stay counted, as dropped for {@code TARGET_DELETED}, in the totals.
 */
@ExtendWith(ServiceExtension.class)
class DeletedTargetTest {

    @InjectService
    ConfigurationAdmin cm;

    @InjectService
    TagIngest ingest;

    @InjectService
    PipelineMonitor monitor;

    @Test
    void aDeletedWritersUnsentValuesAreCountedAsDroppedTargetDeletedOnceReleased() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            pipeline.pool("unreachable", "jdbc:h2:tcp://127.0.0.1:" + closedPort + "/gone");
            Configuration writer = pipeline.writer("leaving-target", "unreachable", "LEAVING_VALUES",
                    Map.of("retryMax", 0, "outageProbeSeconds", 3600.0));
            assertThat(Seen.offer(ingest, TestPipeline.values("leaving.", 0, 100)).allAccepted()).isTrue();
            Await.until("the 100 values waiting for the unreachable database", TestPipeline.TIMEOUT,
                    () -> Seen.metrics(monitor).targets().get("leaving-target").backlog(), n -> n == 100);
            long before = Seen.metrics(monitor).totals().dropped().get(DropReason.TARGET_DELETED);

            writer.delete();
            pipeline.singleton("io.tagbridge.buffer", Map.of("releaseDeletedTargetsAfterHours", 0.0));
            try {
                long after = Await.until("the deleted target released", TestPipeline.TIMEOUT,
                        () -> Seen.metrics(monitor).totals().dropped().get(DropReason.TARGET_DELETED),
                        n -> n >= before + 100);
                assertThat(after - before).as("its 100 values, and those of targets deleted by earlier tests")
                        .isGreaterThanOrEqualTo(100);
                assertThat(Seen.metrics(monitor).targets()).doesNotContainKey("leaving-target");
            } finally {
                pipeline.singleton("io.tagbridge.buffer", Map.of("releaseDeletedTargetsAfterHours", 24.0));
            }
        }
    }
}
