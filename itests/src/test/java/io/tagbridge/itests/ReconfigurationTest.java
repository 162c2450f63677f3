package io.tagbridge.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

import io.tagbridge.api.TagIngest;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.monitor.PipelineMonitor;
import io.tagbridge.api.pipeline.TagStore;
import io.tagbridge.api.sink.TagSink;
import io.tagbridge.testkit.Await;

@ExtendWith(ServiceExtension.class)
class ReconfigurationTest {

    private static final int TOTAL = 30_000;

    @InjectService
    ConfigurationAdmin cm;

    @InjectService
    TagIngest ingest;

    @InjectService
    PipelineMonitor monitor;

    @Test
    void reconfiguringTheWriterAndTheBufferMidStreamLosesAndDuplicatesNothing() throws Exception {
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            pipeline.pool("reconf");
            Configuration writer = pipeline.writer("reconf", "reconf", "RECONF_VALUES", Map.of("batchSize", 500));
            DataSource db = pipeline.dataSource("reconf");
            List<TagValue> values = TestPipeline.values("reconf.", 0, TOTAL);
            AtomicLong accepted = new AtomicLong();
            Thread producer = new Thread(() -> {
                for (int i = 0; i < TOTAL; i += 50) {
                    accepted.addAndGet(Seen.offer(ingest, values.subList(i, i + 50)).accepted());
                    if (i % 500 == 0) {
                        sleep(10);
                    }
                }
            });
            producer.start();

            for (int batchSize : new int[] { 100, 1000, 250, 500 }) {
                sleep(150);
                TestPipeline.update(writer, Map.of("batchSize", batchSize));
            }
            pipeline.singleton("io.tagbridge.buffer", Map.of("capacity", 50_000));
            producer.join();

            assertThat(accepted.get()).isEqualTo(TOTAL);
            Await.until("every accepted value in the database or a backup", TestPipeline.TIMEOUT,
                    () -> TestPipeline.rows(db, "RECONF_VALUES") + pipeline.backedUpKeys().size(), n -> n >= TOTAL);
            // Settled, not just arrived: a batch retried after a restart would add its rows now, if it could.
            Await.until("nothing left to write for the target", TestPipeline.TIMEOUT,
                    () -> Seen.metrics(monitor).targets().get("reconf").backlog(), n -> n == 0);
            long rows = TestPipeline.rows(db, "RECONF_VALUES");
            assertThat(rows + pipeline.backedUpKeys().size()).isEqualTo(TOTAL);
            assertThat(TestPipeline.distinctKeys(db, "RECONF_VALUES")).isEqualTo(rows);
        }
    }

    @Test
    void theSameSettingsReadBackFromTheEtcFileLeaveTheWriterRunningButSavingThemAgainRestartsIt() throws Exception {
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            pipeline.pool("resave");
            Configuration writer = pipeline.writer("resave", "resave", "RESAVE_VALUES", Map.of("batchSize", 100));
            BundleContext context = FrameworkUtil.getBundle(ReconfigurationTest.class).getBundleContext();
            Await.until("the writer's table service", TestPipeline.TIMEOUT,
                    () -> context.getServiceReferences(TagStore.class, "(name=resave)").size(), n -> n == 1);
            List<Integer> events = new CopyOnWriteArrayList<>();
            ServiceListener starts = event -> events.add(event.getType());
            context.addServiceListener(starts, "(&(objectClass=" + TagStore.class.getName() + ")(name=resave))");
            try {
                // What FileInstall does after a save in the web console: the same settings, read back as text
                // from the written-back etc file, with its note of that file.
                TestPipeline.update(writer, Map.of("batchSize", "100", "writeIntervalSeconds", "0.1",
                        "felix.fileinstall.filename", "file:/gateway/etc/io.tagbridge.writer-resave.cfg"));
                // What the console's Save does with nothing changed: the operator's way to make it try again.
                Dictionary<String, Object> saved = writer.getProperties();
                saved.remove("felix.fileinstall.filename");
                writer.update(saved);
                // ConfigAdmin hands changes to DS one after another: once a writer configured after these runs,
                // both have been applied.
                pipeline.writer("resave2", "resave", "RESAVE2_VALUES", Map.of());
            } finally {
                context.removeServiceListener(starts);
            }

            assertThat(events).as("one restart, for the save only")
                    .containsExactly(ServiceEvent.UNREGISTERING, ServiceEvent.REGISTERED);
        }
    }

    @Test
    void writeConnectionsBeyondWhatThePoolLeavesAreCappedAtItsMaximumMinusOne() throws Exception {
        BundleContext context = FrameworkUtil.getBundle(getClass()).getBundleContext();
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            pipeline.pool("capped");
            pipeline.writer("capped", "capped", "CAPPED_VALUES", Map.of("writeConnections", 8));
            pipeline.writer("within", "capped", "WITHIN_VALUES", Map.of("writeConnections", 1));

            assertThat(sinkProperty(context, "capped", "writeConnections")).as("pool maximum 3, minus 1")
                    .isEqualTo(2);
            assertThat(sinkProperty(context, "within", "writeConnections")).isEqualTo(1);
        }
    }

    private static Object sinkProperty(BundleContext context, String target, String property) throws Exception {
        var references = context.getServiceReferences(TagSink.class, "(name=" + target + ")");
        assertThat(references).as("the sink of target " + target).hasSize(1);
        return references.iterator().next().getProperty(property);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
