package io.tagbridge.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

import oracle.ucp.jdbc.PoolDataSource;

import io.tagbridge.api.TagIngest;
import io.tagbridge.api.monitor.HealthReport;
import io.tagbridge.api.monitor.PipelineMonitor;
import io.tagbridge.testkit.Await;

/**
 * Bundles stopped, started and updated while a driver keeps offering values, as an operator does on a running
 * gateway: nothing accepted is lost, and nothing is left behind.
 */
@ExtendWith(ServiceExtension.class)
class HotSwapTest {

    static final String TABLE = "HOTSWAP_VALUES";
    static final String UPDATED_TABLE = "UPDATED_VALUES";

    @InjectService
    ConfigurationAdmin cm;

    private final BundleContext context = FrameworkUtil.getBundle(HotSwapTest.class).getBundleContext();

    @Test
    void stoppingAndStartingEachPipelineBundleWhileValuesFlowLosesNoValueItAccepted() throws Exception {
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            pipeline.pool("hotswapdb");
            pipeline.writer("hotswap", "hotswapdb", TABLE, Map.of());
            Set<Long> accepted;
            try (SteadyProducer driver = new SteadyProducer("hotswap.")) {
                driver.awaitMoreAttempts(300);
                for (String name : new String[] { "buffer", "pool", "writer", "sink-jdbc", "backup", "metrics", "rest" }) {
                    Bundle bundle = bundle("io.tagbridge." + name);
                    long acceptedBefore = driver.acceptedCount();
                    bundle.stop();
                    try {
                        driver.awaitMoreAttempts(300);
                        // The buffer runs only with a backup to fall back on: without either, no TagIngest is
                        // there and the driver holds its values. Everything else may go while the buffer takes them.
                        if (name.equals("buffer") || name.equals("backup")) {
                            long held = driver.acceptedCount();
                            driver.awaitMoreAttempts(300);
                            assertThat(context.getServiceReference(TagIngest.class))
                                    .as("TagIngest while %s is stopped", name).isNull();
                            assertThat(driver.acceptedCount()).as("values taken while %s is stopped", name)
                                    .isEqualTo(held);
                        } else {
                            assertThat(driver.acceptedCount()).as("values taken while %s is stopped", name)
                                    .isGreaterThan(acceptedBefore);
                        }
                    } finally {
                        bundle.start();
                    }
                    pipeline.awaitTarget("hotswap");
                    Await.until("the writer to run again after " + name, TestPipeline.TIMEOUT,
                            () -> health().targets().get("hotswap"), h -> h != null);
                    driver.awaitMoreAttempts(300);
                }
                accepted = driver.accepted();
            }
            assertThat(accepted).as("values the gateway took").hasSizeGreaterThan(1000);
            Await.until("every accepted value in the table or a backup", TestPipeline.TIMEOUT,
                    () -> missing(accepted, TABLE, "hotswapdb", pipeline), Set::isEmpty);
        }
    }

    @Test
    void updatingTheWriterBundleTwentyTimesWhileValuesFlowLosesNothingAndLeaksNoThreadOrConnection()
            throws Exception {
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            pipeline.pool("updatedb");
            pipeline.writer("updated", "updatedb", UPDATED_TABLE, Map.of());
            Bundle writer = bundle("io.tagbridge.writer");
            byte[] original = ChangedBuild.bytesOf(writer);
            Set<Long> accepted;
            int borrowedBefore = borrowed(pipeline.dataSource("updatedb"));
            List<String> threadsBefore;
            try (SteadyProducer driver = new SteadyProducer("updated.")) {
                driver.awaitMoreAttempts(300);
                // Counted once values flow: some threads start with the first value.
                threadsBefore = tagbridgeThreads();
                for (int build = 1; build <= 20; build++) {
                    writer.update(new ByteArrayInputStream(ChangedBuild.of(original, build)));
                    assertThat(writer.getState()).as("the writer after update " + build).isEqualTo(Bundle.ACTIVE);
                    pipeline.awaitTarget("updated");
                    driver.awaitMoreAttempts(100);
                }
                assertThat(writer.getHeaders().get(ChangedBuild.HEADER)).isEqualTo("20");
                accepted = driver.accepted();
            }
            Await.until("every accepted value in the table or a backup", TestPipeline.TIMEOUT,
                    () -> missing(accepted, UPDATED_TABLE, "updatedb", pipeline), Set::isEmpty);
            Await.until("as many tagbridge threads as before the updates " + threadsBefore, TestPipeline.TIMEOUT,
                    HotSwapTest::tagbridgeThreads, names -> names.size() == threadsBefore.size());
            Await.until("as many pool connections lent out as before the updates (" + borrowedBefore + ")",
                    TestPipeline.TIMEOUT, () -> borrowed(pipeline.dataSource("updatedb")), n -> n == borrowedBefore);
        }
    }

    private static List<String> tagbridgeThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("tagbridge-")).sorted().toList();
    }

    /** Connections the pool has lent out and not had back: a writer that forgets one leaks it. */
    private static int borrowed(DataSource db) throws Exception {
        return db.unwrap(PoolDataSource.class).getBorrowedConnectionsCount();
    }

    /** Accepted values found neither in the table nor in a pending backup file. */
    private static Set<Long> missing(Set<Long> accepted, String table, String pool, TestPipeline pipeline)
            throws Exception {
        Set<Long> missing = new HashSet<>(accepted);
        missing.removeAll(stored(pipeline.dataSource(pool), table));
        missing.removeAll(backedUp(pipeline.backupDirectory));
        return missing;
    }

    private HealthReport health() {
        ServiceReference<PipelineMonitor> reference = context.getServiceReference(PipelineMonitor.class);
        try {
            return Seen.health(context.getService(reference));
        } finally {
            context.ungetService(reference);
        }
    }

    private Bundle bundle(String symbolicName) {
        return Stream.of(context.getBundles()).filter(b -> b.getSymbolicName().equals(symbolicName)).findFirst()
                .orElseThrow(() -> new AssertionError("no bundle " + symbolicName));
    }

    static Set<Long> stored(DataSource db, String table) throws Exception {
        Set<Long> numbers = new HashSet<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT NUM_VALUE FROM " + table)) {
            while (rs.next()) {
                numbers.add(rs.getLong(1));
            }
        }
        return numbers;
    }

    static Set<Long> backedUp(Path directory) throws Exception {
        Set<Long> numbers = new HashSet<>();
        try (Stream<Path> files = Files.walk(directory, 2)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".csv") || f.toString().endsWith(".csv.part"))
                    .toList()) {
                try (Reader in = Files.newBufferedReader(file)) {
                    for (CSVRecord row : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
                            .setCommentMarker('#').get().parse(in)) {
                        numbers.add((long) Double.parseDouble(row.get("value")));
                    }
                }
            }
        }
        return numbers;
    }
}
