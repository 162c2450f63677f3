package io.tagbridge.itests;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.annotation.Property;
import org.osgi.test.common.annotation.config.WithFactoryConfiguration;
import org.osgi.test.junit5.cm.ConfigurationExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.tagbridge.api.monitor.ComponentHealth;
import io.tagbridge.api.monitor.HealthStatus;
import io.tagbridge.api.monitor.PipelineMonitor;
import io.tagbridge.testkit.Await;

/** An invalid writer configuration is refused with a message that names the property, in health. */
@ExtendWith(ServiceExtension.class)
@ExtendWith(ConfigurationExtension.class)
class ConfigurationErrorTest {

    @InjectService
    ConfigurationAdmin cm;

    @InjectService
    PipelineMonitor monitor;

    @Test
    @WithFactoryConfiguration(factoryPid = "io.tagbridge.writer", name = "broken", location = "?", properties = {
            @Property(key = "name", value = "broken"),
            @Property(key = "dataSource.target", value = "(name=errors)"),
            @Property(key = "batchSize", value = "-5", scalar = Property.Scalar.Integer) })
    void aNegativeBatchSizeStopsTheWriterAndHealthNamesTheProperty() throws Exception {
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            pipeline.pool("errors");

            ComponentHealth target = Await.until("health to report the broken writer", TestPipeline.TIMEOUT,
                    () -> Seen.health(monitor).targets().get("broken"), c -> c != null && c.state().equals("MISCONFIGURED"));

            assertThat(target.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(target.reason()).isEqualTo("CONFIGURATION_INVALID");
            assertThat(target.advice()).contains("batchSize is -5");
        }
    }

    @Test
    @WithFactoryConfiguration(factoryPid = "io.tagbridge.writer", name = "badtable", location = "?", properties = {
            @Property(key = "name", value = "badtable"),
            @Property(key = "dataSource.target", value = "(name=errors2)"),
            @Property(key = "tableName", value = "X; DROP TABLE Y") })
    void aBadTableNameIsRefusedBeforeAnySqlIsSent() throws Exception {
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            pipeline.pool("errors2");

            ComponentHealth target = Await.until("health to report the bad table name", TestPipeline.TIMEOUT,
                    () -> Seen.health(monitor).targets().get("badtable"), c -> c != null && c.state().equals("MISCONFIGURED"));

            assertThat(target.advice()).contains("tableName");
        }
    }
}
