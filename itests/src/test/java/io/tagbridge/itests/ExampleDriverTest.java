package io.tagbridge.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Hashtable;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

import io.tagbridge.api.RefusalReason;
import io.tagbridge.api.pipeline.TagBuffer;

/** The example driver of the README, against the current runtime: what Tagbridge refuses, it offers again. */
@ExtendWith(ServiceExtension.class)
class ExampleDriverTest {

    private static final int READINGS = 2_000;

    @InjectService
    ConfigurationAdmin cm;

    @InjectService
    TagBuffer buffer;

    private long noTarget() {
        return buffer.status().refused().getOrDefault(RefusalReason.NO_TARGET, 0L);
    }

    @Test
    void theExampleDriverHoldsWhatIsRefusedBeforeAnyWriterExistsAndDeliversEveryReadingOnce() throws Exception {
        Configuration driver = cm.getConfiguration("io.tagbridge.example.driver", "?");
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            long refusedBefore = noTarget();
            driver.update(new Hashtable<>(Map.of("tag", "example.itest", "readingsPerSecond", 1_000,
                    "readings", (long) READINGS)));
            Await.until("readings refused: no writer takes them yet", TestPipeline.TIMEOUT, this::noTarget,
                    n -> n > refusedBefore);
            pipeline.pool("exampledb");
            DataSource db = pipeline.dataSource("exampledb");
            pipeline.writer("example", "exampledb", "EXAMPLE_VALUES", Map.of());

            Await.until("every reading in the table", TestPipeline.TIMEOUT,
                    () -> TestPipeline.rows(db, "EXAMPLE_VALUES"), n -> n >= READINGS);
            assertThat(TestPipeline.rows(db, "EXAMPLE_VALUES")).isEqualTo(READINGS);
            assertThat(TestPipeline.distinctKeys(db, "EXAMPLE_VALUES")).isEqualTo(READINGS);
        } finally {
            driver.delete();
        }
    }
}
