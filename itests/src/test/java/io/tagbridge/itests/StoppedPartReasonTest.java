package io.tagbridge.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

import io.tagbridge.api.monitor.ComponentHealth;
import io.tagbridge.api.monitor.HealthStatus;
import io.tagbridge.api.monitor.PipelineMonitor;
import io.tagbridge.testkit.Await;

/**
 * Why a part is not running, as health says it, for each way it can stop in a running framework: its pool gone,
 * its sink's component disabled, the engine's or the sink's bundle stopped, a second writer with its name; the
 * buffer's and the backup's bundles stopped.
 */
@ExtendWith(ServiceExtension.class)
class StoppedPartReasonTest {

    private final BundleContext context = FrameworkUtil.getBundle(StoppedPartReasonTest.class).getBundleContext();

    @InjectService
    ConfigurationAdmin cm;

    @InjectService
    PipelineMonitor monitor;

    @InjectService
    ServiceComponentRuntime scr;

    @Test
    void aWriterWhosePoolWasDeletedIsDependencyMissing() throws Exception {
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            Configuration pool = pipeline.pool("leaving");
            pipeline.writer("leaving", "leaving", "LEAVING_VALUES", Map.of());
            pool.delete();

            ComponentHealth target = awaitTarget("leaving", "DEPENDENCY_MISSING");
            assertThat(target.state()).isEqualTo("STOPPED");
            assertThat(target.advice()).contains("dataSource.target");
        }
    }

    @Test
    void aWriterReconfiguredOntoAPoolThatDoesNotRunIsReconfiguringAndSaysWhereToLook() throws Exception {
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            pipeline.pool("moving");
            Configuration writer = pipeline.writer("moving", "moving", "MOVING_VALUES", Map.of());
            TestPipeline.update(writer, Map.of("dataSource.target", "(name=not-configured)"));

            ComponentHealth target = awaitTarget("moving", "RECONFIGURING");
            assertThat(target.state()).isEqualTo("STOPPED");
            assertThat(target.advice()).contains("dataSource.target");
        }
    }

    @Test
    void aWriterWhoseSinkComponentIsDisabledIsWriterStopped() throws Exception {
        ComponentDescriptionDTO writer = scr.getComponentDescriptionDTOs(bundle("io.tagbridge.sink-jdbc")).stream()
                .filter(d -> d.name.equals("io.tagbridge.sink.jdbc.JdbcTargetComponent")).findFirst().orElseThrow();
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            pipeline.pool("disabled");
            pipeline.writer("disabled", "disabled", "DISABLED_VALUES", Map.of());
            scr.disableComponent(writer).getValue();
            try {
                assertThat(awaitTarget("disabled", "WRITER_STOPPED").state()).isEqualTo("STOPPED");
            } finally {
                scr.enableComponent(writer).getValue();
            }
            pipeline.awaitTarget("disabled");
        }
    }

    @Test
    void writersOfAStoppedSinkBundleAreSinkBundleStopped() throws Exception {
        Bundle sinks = bundle("io.tagbridge.sink-jdbc");
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            pipeline.pool("sinks");
            pipeline.writer("sinks", "sinks", "SINKS_VALUES", Map.of());
            sinks.stop();
            try {
                ComponentHealth target = awaitTarget("sinks", "SINK_BUNDLE_STOPPED");
                assertThat(target.advice()).contains("start io.tagbridge.sink-jdbc");
            } finally {
                sinks.start();
            }
            pipeline.awaitTarget("sinks");
        }
    }

    @Test
    void writersOfAStoppedWriterBundleAreWriterBundleStopped() throws Exception {
        Bundle writers = bundle("io.tagbridge.writer");
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            pipeline.pool("bundle");
            pipeline.writer("bundle", "bundle", "BUNDLE_VALUES", Map.of());
            writers.stop();
            try {
                ComponentHealth target = awaitTarget("bundle", "WRITER_BUNDLE_STOPPED");
                assertThat(target.advice()).contains("start io.tagbridge.writer");
            } finally {
                writers.start();
            }
            pipeline.awaitTarget("bundle");
        }
    }

    @Test
    void aSecondWriterWithTheSameNameIsNameNotUnique() throws Exception {
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            pipeline.pool("twins");
            pipeline.writer("twin", "twins", "TWIN_VALUES", Map.of());
            Configuration second = cm.getFactoryConfiguration("io.tagbridge.writer", "twin-again", "?");
            second.update(new java.util.Hashtable<>(Map.of("name", "twin", "dataSource.target", "(name=twins)",
                    "tableName", "TWIN_AGAIN_VALUES")));
            try {
                ComponentHealth target = awaitTarget("twin", "NAME_NOT_UNIQUE");
                assertThat(target.status()).isEqualTo(HealthStatus.DOWN);
            } finally {
                second.delete();
            }
        }
    }

    @Test
    void aStoppedBufferBundleIsBufferNotRunningAndAStoppedBackupBundleBackupNotRunning() throws Exception {
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            for (String[] part : new String[][] { { "io.tagbridge.buffer", "buffer", "BUFFER_NOT_RUNNING" },
                    { "io.tagbridge.backup", "backup", "BACKUP_NOT_RUNNING" } }) {
                Bundle bundle = bundle(part[0]);
                bundle.stop();
                try {
                    ComponentHealth health = Await.until("health's " + part[1] + " to say " + part[2],
                            TestPipeline.TIMEOUT, () -> Seen.health(monitor).components().get(part[1]),
                            c -> c != null && part[2].equals(c.reason()));
                    assertThat(health.status()).isNotEqualTo(HealthStatus.UP);
                    assertThat(health.state()).isEqualTo("STOPPED");
                } finally {
                    bundle.start();
                }
            }
        }
    }

    private ComponentHealth awaitTarget(String name, String reason) {
        return Await.until("target " + name + " to report " + reason, TestPipeline.TIMEOUT,
                () -> Seen.health(monitor).targets().get(name), t -> t != null && reason.equals(t.reason()));
    }

    private Bundle bundle(String symbolicName) {
        return Stream.of(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError("no bundle " + symbolicName));
    }
}
