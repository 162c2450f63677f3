package io.tagbridge.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.tagbridge.api.TagIngest;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.monitor.HealthReport;
import io.tagbridge.api.monitor.HealthStatus;
import io.tagbridge.api.monitor.PipelineMonitor;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.WriteRecorder;
import io.tagbridge.testkit.Await;
import io.tagbridge.testkit.H2Server;

/**
 * Two targets read every value; one of them is dead until it has given up retrying and ten more rounds of values
 * went by. The live one must get every value meanwhile, health must say DEGRADED and name the dead one, and the
 * dead one must catch up afterwards, in order per tag.
 */
@ExtendWith({ BundleContextExtension.class, ServiceExtension.class })
class TwoTargetsTest {

    private static final int ROUNDS_WHILE_DEAD = 10;
    private static final int PER_ROUND = 500;

    @InjectService
    ConfigurationAdmin cm;

    @InjectService
    TagIngest ingest;

    @InjectService
    PipelineMonitor monitor;

    @InjectBundleContext
    BundleContext context;

    /** Source times of the values each target committed, per tag, in the order they were committed. */
    static final class CommitOrder implements WriteRecorder {
        final Map<String, List<Instant>> byTag = new ConcurrentHashMap<>();
        private final String target;

        CommitOrder(String target) {
            this.target = target;
        }

        @Override
        public void written(String from, List<ReceivedValue> values, int alreadyStored, long latencyNanos) {
            if (from.equals(target)) {
                for (ReceivedValue v : values) {
                    byTag.computeIfAbsent(v.value().tagName(), t -> new ArrayList<>()).add(v.value().sourceTime());
                }
            }
        }
    }

    @Test
    void aDeadTargetHoldsNothingBackFromTheLiveOneAndCatchesUpInOrderPerTag() throws Exception {
        Assumptions.assumeFalse(TestDatabase.isOracle(), "the test needs an H2 server process it can kill");
        CommitOrder deadOrder = new CommitOrder("dead");
        ServiceRegistration<WriteRecorder> recorder = context.registerService(WriteRecorder.class, deadOrder, null);
        try (H2Server server = TestDatabase.h2Server(); TestPipeline pipeline = new TestPipeline(cm)) {
            server.start();
            pipeline.pool("live");
            pipeline.pool("dead", server.url("dead"));
            pipeline.writer("live", "live", "LIVE_VALUES", Map.of());
            pipeline.writer("dead", "dead", "DEAD_VALUES", Map.of("retryDelaySeconds", 0.2,
                    "retryMaxDelaySeconds", 1.0, "outageProbeSeconds", 1.0));
            DataSource live = pipeline.dataSource("live");
            DataSource dead = pipeline.dataSource("dead");

            server.kill();
            int offered = 0;
            int roundsUnavailable = 0;
            HealthReport during = null;
            // Rounds of values until the dead target has given up retrying and the live one kept up with ten more.
            for (int round = 0; roundsUnavailable < ROUNDS_WHILE_DEAD; round++) {
                assertThat(round).as("rounds before the dead target gave up retrying").isLessThan(1_000);
                List<TagValue> values = TestPipeline.values("two.", offered, offered + PER_ROUND);
                assertThat(Seen.offer(ingest, values).allAccepted()).isTrue();
                offered += PER_ROUND;
                int expected = offered;
                Await.until("the live target to keep up while the other is dead", Duration.ofSeconds(5),
                        () -> TestPipeline.rows(live, "LIVE_VALUES"), n -> n == expected);
                during = Seen.health(monitor);
                if (during.targets().get("dead").state().equals("UNAVAILABLE")) {
                    roundsUnavailable++;
                }
            }
            assertThat(during.status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(during.advice()).startsWith("target dead: ");
            assertThat(during.targets().get("live").state()).isEqualTo("WRITING");
            assertThat(during.targets().get("dead").state()).isEqualTo("UNAVAILABLE");
            assertThat(Seen.metrics(monitor).targets().get("dead").backlog()).isEqualTo(offered);

            server.start();
            int all = offered;
            Await.until("the dead target to catch up", TestPipeline.TIMEOUT,
                    () -> Seen.metrics(monitor).targets().get("dead").backlog(), n -> n == 0);
            assertThat(TestPipeline.rows(dead, "DEAD_VALUES")).isEqualTo(all);
            assertThat(TestPipeline.distinctKeys(dead, "DEAD_VALUES")).isEqualTo(all);
            assertThat(pipeline.backedUpKeys()).isEmpty();
            assertThat(deadOrder.byTag).isNotEmpty().allSatisfy((tag, times) ->
                    assertThat(times).as("commit order of " + tag).isSorted().doesNotHaveDuplicates());
            assertThat(Seen.health(monitor).status()).isEqualTo(HealthStatus.UP);
        } finally {
            recorder.unregister();
        }
    }
}
