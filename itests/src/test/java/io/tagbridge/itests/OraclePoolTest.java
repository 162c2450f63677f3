package io.tagbridge.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.tagbridge.api.monitor.ComponentHealth;
import io.tagbridge.api.monitor.PipelineMonitor;
import io.tagbridge.testkit.Await;

/**
 * The Oracle path with the real ojdbc11 and ucp11 inside the framework, against a port where no listener
 * runs: the pool starts (no class loader trap), fails within its connect timeout with the driver's own error,
 * and the writer reports that error, classified, in health.
 */
@ExtendWith({ BundleContextExtension.class, ServiceExtension.class })
class OraclePoolTest {

    @InjectService
    ConfigurationAdmin cm;

    @InjectService
    PipelineMonitor monitor;

    @InjectBundleContext
    BundleContext context;

    @Test
    void anOraclePoolWithoutAListenerFailsFastWithTheDriversErrorAndHealthSaysSo() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            var pool = cm.getFactoryConfiguration("io.tagbridge.oracle.pool", "nolistener", "?");
            pool.update(new java.util.Hashtable<>(Map.of("name", "nolistener", "host", "127.0.0.1", "port", closedPort,
                    "serviceName", "FREEPDB1", "username", "scada_user", "password", "secret",
                    "connectTimeoutSeconds", 2, "connectionWaitTimeoutSeconds", 3, "poolMin", 0)));
            DataSource ds = pipeline.dataSource("nolistener");
            ServiceReference<DataSource> ref = context.getServiceReferences(DataSource.class, "(name=nolistener)")
                    .iterator().next();
            assertThat(ref.getProperty("tagbridge.database")).isEqualTo("oracle");
            assertThat(ref.getPropertyKeys()).doesNotContain("password");

            long start = System.nanoTime();
            assertThatThrownBy(() -> {
                try (Connection c = ds.getConnection()) {
                    c.isValid(1);
                }
            }).isInstanceOf(SQLException.class).satisfies(e -> assertThat(chainText(e)).contains("ORA-12541", "code 12541"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));

            pipeline.writer("nolistener", "nolistener", "TAG_VALUES",
                    Map.of("retryMax", 0, "outageProbeSeconds", 3600.0));
            ingestOne();
            ComponentHealth target = Await.until("health to report the unreachable Oracle", TestPipeline.TIMEOUT,
                    () -> Seen.health(monitor).targets().get("nolistener"), c -> c != null && c.error().contains("vendor code"));
            assertThat(target.state()).isEqualTo("UNAVAILABLE");
            assertThat(target.reason()).isEqualTo("NO_LISTENER");
            assertThat(target.error()).contains("ORA-12541", "vendor code 12541");
            assertThat(target.advice()).contains("nothing listens").doesNotContain("127.0.0.1");
            pool.delete();
        }
    }

    private void ingestOne() {
        io.tagbridge.api.TagIngest ingest = context.getService(context.getServiceReference(io.tagbridge.api.TagIngest.class));
        Seen.offer(ingest, TestPipeline.values("oracle.", 0, 1));
    }

    private static String chainText(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            text.append(t).append(t instanceof SQLException sql ? " code " + sql.getErrorCode() : "").append('\n');
        }
        return text.toString();
    }
}
