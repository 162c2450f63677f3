package io.tagbridge.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

import io.tagbridge.api.monitor.ComponentHealth;
import io.tagbridge.api.monitor.HealthStatus;
import io.tagbridge.api.monitor.PipelineMonitor;

@ExtendWith(ServiceExtension.class)
class ConfigurationErrorTest {

    @InjectService
    ConfigurationAdmin cm;

    @InjectService
    PipelineMonitor monitor;

    @Test
    void aNegativeBatchSizeStopsTheWriterAndHealthNamesTheProperty() throws Exception {
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            pipeline.pool("errors");
            pipeline.writer("broken", "errors", "ERROR_VALUES", Map.of("batchSize", -5));

            ComponentHealth database = Await.until("health to report the broken writer", TestPipeline.TIMEOUT,
                    () -> monitor.health().components().get("database"), c -> c.message().contains("broken"));

            assertThat(database.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(database.message()).contains("batchSize is -5");
        }
    }

    @Test
    void aBadTableNameIsRejectedBeforeAnySqlIsSent() throws Exception {
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            pipeline.pool("errors2");
            pipeline.writer("badtable", "errors2", "X; DROP TABLE Y", Map.of());

            ComponentHealth database = Await.until("health to report the bad table name", TestPipeline.TIMEOUT,
                    () -> monitor.health().components().get("database"), c -> c.message().contains("badtable"));

            assertThat(database.message()).contains("tableName");
        }
    }
}
