package io.tagbridge.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Hashtable;
import java.util.Map;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;
import io.tagbridge.testkit.Await;

/** The example driver of the README, against the current runtime: what it reads while Tagbridge is away, it keeps. */
@ExtendWith(ServiceExtension.class)
class ExampleDriverTest {

    private static final int READINGS = 2_000;

    @InjectService
    ConfigurationAdmin cm;

    @Test
    void theExampleDriverHoldsWhatItReadsWhileTheBufferIsAwayAndDeliversEveryReadingOnce() throws Exception {
        Configuration driver = cm.getConfiguration("io.tagbridge.example.driver", "?");
        Bundle buffer = Stream.of(FrameworkUtil.getBundle(ExampleDriverTest.class).getBundleContext().getBundles())
                .filter(b -> b.getSymbolicName().equals("io.tagbridge.buffer")).findFirst().orElseThrow();
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            pipeline.pool("exampledb");
            DataSource db = pipeline.dataSource("exampledb");
            pipeline.writer("example", "exampledb", "EXAMPLE_VALUES", Map.of());

            buffer.stop();
            Instant back;
            try {
                driver.update(new Hashtable<>(Map.of("tag", "example.itest", "readingsPerSecond", 1_000,
                        "readings", (long) READINGS)));
                Await.until("the driver reading", TestPipeline.TIMEOUT,
                        () -> Thread.getAllStackTraces().keySet().stream()
                                .anyMatch(t -> t.getName().equals("example-driver-example.itest")), running -> running);
                // Not a timing claim: once the driver reads, this gives it readings to hold while the buffer is away.
                Thread.sleep(500);
            } finally {
                back = Instant.now();
                buffer.start();
            }
            pipeline.awaitTarget("example");

            Await.until("every reading in the table", TestPipeline.TIMEOUT,
                    () -> TestPipeline.rows(db, "EXAMPLE_VALUES"), n -> n >= READINGS);
            assertThat(TestPipeline.rows(db, "EXAMPLE_VALUES")).isEqualTo(READINGS);
            assertThat(TestPipeline.distinctKeys(db, "EXAMPLE_VALUES")).isEqualTo(READINGS);
            assertThat(readBefore(db, back)).as("readings taken while the buffer was away, delivered later")
                    .isPositive();
        } finally {
            driver.delete();
            if (buffer.getState() != Bundle.ACTIVE) {
                buffer.start();
            }
        }
    }

    @Test
    void theExampleDriverWaitingForTheDiskDeliversEveryReadingOnceAndOwnsEachUntilItIsOnDisk() throws Exception {
        Configuration driver = cm.getConfiguration("io.tagbridge.example.driver", "?");
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            pipeline.pool("durabledb");
            DataSource db = pipeline.dataSource("durabledb");
            pipeline.writer("durable", "durabledb", "DURABLE_VALUES", Map.of());

            driver.update(new Hashtable<>(Map.of("tag", "example.durable", "readingsPerSecond", 1_000,
                    "readings", (long) READINGS, "durable", true)));

            Await.until("every reading in the table", TestPipeline.TIMEOUT,
                    () -> TestPipeline.rows(db, "DURABLE_VALUES"), n -> n >= READINGS);
            assertThat(TestPipeline.rows(db, "DURABLE_VALUES")).isEqualTo(READINGS);
            assertThat(TestPipeline.distinctKeys(db, "DURABLE_VALUES")).isEqualTo(READINGS);
        } finally {
            driver.delete();
        }
    }

    private static long readBefore(DataSource db, Instant instant) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT COUNT(*) FROM EXAMPLE_VALUES WHERE SOURCE_TIME < ?")) {
            s.setObject(1, LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
