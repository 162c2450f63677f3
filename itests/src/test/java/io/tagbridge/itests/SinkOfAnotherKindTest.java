package io.tagbridge.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Hashtable;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;
import org.osgi.util.tracker.ServiceTracker;

import io.tagbridge.api.TagIngest;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.monitor.MetricsSnapshot;
import io.tagbridge.api.monitor.PipelineMonitor;
import io.tagbridge.api.pipeline.TagStore;
import io.tagbridge.testkit.Await;

/**
 * A target of another kind is a bundle that implements the sink seam: the example memory sink, installed beside the
 * JDBC sink, gets every value its filter takes exactly once, and its counters balance as a table's do.
 */
@ExtendWith(ServiceExtension.class)
class SinkOfAnotherKindTest {

    private static final String MEMORY_SINK_PID = "io.tagbridge.example.sink.memory";

    private final BundleContext context = FrameworkUtil.getBundle(SinkOfAnotherKindTest.class).getBundleContext();

    @InjectService
    ConfigurationAdmin cm;

    @InjectService
    TagIngest ingest;

    @InjectService
    PipelineMonitor monitor;

    @Test
    void aSinkBundleOfAnotherKindGetsEveryValueOnceAndItsCountersBalance() throws Exception {
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            Configuration memory = cm.getFactoryConfiguration(MEMORY_SINK_PID, "other-kind", "?");
            Hashtable<String, Object> settings = new Hashtable<>();
            settings.put("name", "memory");
            settings.put("tagFilter", new String[] { "memory.*" });
            settings.put("batchSize", 100);
            settings.put("writeIntervalSeconds", 0.1);
            memory.update(settings);
            try {
                pipeline.awaitTarget("memory");
                List<TagValue> values = TestPipeline.values("memory.", 0, 5_000);
                for (int i = 0; i < values.size(); i += 500) {
                    assertThat(Seen.offer(ingest, values.subList(i, i + 500)).allAccepted()).isTrue();
                }
                // The same values again, as a driver that resends after a restart: stored once, counted as stored.
                assertThat(Seen.offer(ingest, values.subList(0, 1_000)).allAccepted()).isTrue();

                MetricsSnapshot.Target target = Await.until("the memory target to settle all 6,000 values",
                        TestPipeline.TIMEOUT, () -> Seen.metrics(monitor).targets().get("memory"),
                        t -> t != null && t.valuesWritten() + t.valuesAlreadyStored() == 6_000);
                assertThat(target.valuesWritten()).isEqualTo(5_000);
                assertThat(target.valuesAlreadyStored()).isEqualTo(1_000);
                assertThat(target.valuesBackedUp()).isZero();
                assertThat(target.valuesDropped()).isZero();
                assertThat(target.valuesConflicting()).isZero();
                assertThat(Seen.health(monitor).targets().get("memory").state()).isEqualTo("WRITING");
                assertThat(TestPipeline.keys(stored("memory", "memory.")))
                        .containsExactlyInAnyOrderElementsOf(TestPipeline.keys(values));
            } finally {
                memory.delete();
            }
            // Whether a sink of another kind comes back is its bundle's business: the target waits, STOPPED.
            Await.until("the target to say its sink went away", TestPipeline.TIMEOUT,
                    () -> Seen.health(monitor).targets().get("memory").reason(), "SINK_WITHDRAWN"::equals);
        }
    }

    private Collection<TagValue> stored(String target, String prefix) throws Exception {
        ServiceTracker<TagStore, TagStore> stores = new ServiceTracker<>(context,
                context.createFilter("(&(objectClass=" + TagStore.class.getName() + ")(name=" + target + "))"), null);
        stores.open();
        try {
            List<TagValue> read = new ArrayList<>();
            stores.waitForService(TestPipeline.TIMEOUT.toMillis()).read(prefix, read::add);
            return read;
        } finally {
            stores.close();
        }
    }
}
