package io.tagbridge.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

import io.tagbridge.api.TagIngest;
import io.tagbridge.api.TagValue;

@ExtendWith(ServiceExtension.class)
class ReconfigurationTest {

    private static final int TOTAL = 30_000;

    @InjectService
    ConfigurationAdmin cm;

    @InjectService
    TagIngest ingest;

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
                    accepted.addAndGet(ingest.offer(values.subList(i, i + 50)).accepted());
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
            Thread.sleep(300);
            long rows = TestPipeline.rows(db, "RECONF_VALUES");
            assertThat(rows + pipeline.backedUpKeys().size()).isEqualTo(TOTAL);
            assertThat(TestPipeline.distinctKeys(db, "RECONF_VALUES")).isEqualTo(rows);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
