package io.tagbridge.kura;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.jar.JarInputStream;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;

import io.tagbridge.testkit.ChangedJar;

/**
 * The deployment package as Kura installs it, through a real DeploymentAdmin (Apache Felix's), while a driver
 * offers values: installed, updated to a newer version, uninstalled. Nothing accepted is lost, and nothing of the
 * package stays installed.
 */
class DeploymentPackageIT {

    private static final String NAME = "tagbridge-dp";
    private static final String PACKAGE = "org.osgi.service.deploymentadmin.DeploymentPackage";
    private static final String CM = "org.osgi.service.cm.ConfigurationAdmin";

    @TempDir
    Path home;

    @Test
    void installingUpdatingAndUninstallingThePackageWhileValuesFlowLosesNothingAndLeavesNoBundle() throws Exception {
        byte[] first = Files.readAllBytes(Path.of(System.getProperty("deployment.package")));
        String next = nextMicro(versionOf(first));
        byte[] newer = withVersion(first, next);
        List<String> packaged = bundleNames(first);
        Set<Long> accepted;
        long stored;
        try (KuraLikeGateway gateway = new KuraLikeGateway(home)) {
            List<String> before = gateway.bundleNames();
            configure(gateway, "io.tagbridge.oracle.pool");
            configure(gateway, "io.tagbridge.writer");
            try (ReflectiveDriver driver = new ReflectiveDriver(gateway)) {
                gateway.install(new ByteArrayInputStream(first));
                assertThat(gateway.bundleNames()).containsAll(packaged);
                // No Jakarta Servlet API here, as on Kura 5: the metrics run all the same, without GET /metrics.
                assertThatThrownBy(() -> gateway.load("io.tagbridge.metrics", "jakarta.servlet.Servlet"))
                        .isInstanceOf(ClassNotFoundException.class);
                await("health from the metrics bundle",
                        () -> gateway.call("io.tagbridge.api.monitor.PipelineMonitor", "health"), h -> h != null);
                await(() -> "values written after the install (" + driver + ")", () -> count(gateway), n -> n > 500);

                Object updated = gateway.install(new ByteArrayInputStream(newer));
                assertThat(KuraLikeGateway.invoke(updated, PACKAGE, "getVersion").toString()).isEqualTo(next);
                long afterUpdate = driver.acceptedCount();
                driver.awaitMoreAttempts(1_000);
                assertThat(driver.acceptedCount()).as("values taken after the update").isGreaterThan(afterUpdate);
                driver.close();
                accepted = driver.accepted();
            }
            assertThat(accepted).as("values the gateway took").hasSizeGreaterThan(1_000);
            await("every accepted value in the table", () -> missing(gateway, accepted), Set::isEmpty);
            stored = count(gateway);

            Object installed = gateway.deploymentAdmin("getDeploymentPackage", NAME);
            KuraLikeGateway.invoke(installed, PACKAGE, "uninstall");

            assertThat(gateway.bundleNames()).as("the bundles after the uninstall").isEqualTo(before)
                    .doesNotContainAnyElementsOf(packaged);
        }
        assertThat(storedOnDisk()).as("rows kept in the data directory's database").isEqualTo(stored)
                .isEqualTo(accepted.size());
    }

    /** The built-in instance named default, as the gateway jar creates it: the embedded H2 database. */
    private static void configure(KuraLikeGateway gateway, String factoryPid) throws Exception {
        Object configuration = gateway.call(CM, "getFactoryConfiguration", factoryPid, "default", "?");
        KuraLikeGateway.invoke(configuration, "org.osgi.service.cm.Configuration", "update",
                new Hashtable<>(Map.of("name", "default")));
    }

    private static long count(KuraLikeGateway gateway) throws Exception {
        return numbers(gateway).size();
    }

    private static Set<Long> missing(KuraLikeGateway gateway, Set<Long> accepted) throws Exception {
        Set<Long> missing = new HashSet<>(accepted);
        missing.removeAll(numbers(gateway));
        return missing;
    }

    private static Set<Long> numbers(KuraLikeGateway gateway) throws Exception {
        ServiceReference<DataSource> reference = gateway.context().getServiceReferences(DataSource.class,
                "(name=default)").stream().findFirst().orElseThrow(() -> new IllegalStateException("no pool yet"));
        DataSource pool = gateway.context().getService(reference);
        try (Connection c = pool.getConnection()) {
            return numbers(c);
        } finally {
            gateway.context().ungetService(reference);
        }
    }

    private static Set<Long> numbers(Connection c) throws Exception {
        Set<Long> numbers = new HashSet<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT NUM_VALUE FROM TAG_VALUES WHERE TAG_NAME LIKE 'kura.%'")) {
            while (rs.next()) {
                numbers.add(rs.getLong(1));
            }
        }
        return numbers;
    }

    private long storedOnDisk() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + home.resolve("data/tagbridge")
                + ";MODE=Oracle;IFEXISTS=TRUE", "sa", "")) {
            return numbers(c).size();
        }
    }

    private static List<String> bundleNames(byte[] deploymentPackage) throws Exception {
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(deploymentPackage))) {
            return in.getManifest().getEntries().values().stream()
                    .map(attributes -> attributes.getValue("Bundle-SymbolicName")).toList();
        }
    }

    /** The same package with another DeploymentPackage-Version: a newer release, as an update brings. */
    private static String versionOf(byte[] deploymentPackage) throws IOException {
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(deploymentPackage))) {
            return in.getManifest().getMainAttributes().getValue("DeploymentPackage-Version");
        }
    }

    /** The release after this build's version: 0.3.0.SNAPSHOT becomes 0.3.1. */
    private static String nextMicro(String version) {
        String[] parts = version.split("\\.");
        return parts[0] + "." + parts[1] + "." + (Integer.parseInt(parts[2]) + 1);
    }

    private static byte[] withVersion(byte[] deploymentPackage, String version) throws Exception {
        return ChangedJar.withHeaders(deploymentPackage, Map.of("DeploymentPackage-Version", version));
    }

    private interface Probe<T> {
        T get() throws Exception;
    }

    private static <T> void await(String what, Probe<T> probe, Predicate<T> done) throws Exception {
        await(() -> what, probe, done);
    }

    /** Waits for {@code done}; the description is made when it fails, to show the state then. */
    private static <T> void await(Supplier<String> what, Probe<T> probe, Predicate<T> done) throws Exception {
        T last = null;
        Exception error = null;
        for (long deadline = System.nanoTime() + 90_000_000_000L; System.nanoTime() < deadline; Thread.sleep(100)) {
            try {
                last = probe.get();
                if (done.test(last)) {
                    return;
                }
            } catch (Exception e) {
                error = e;
            }
        }
        throw new AssertionError(what.get() + " did not happen; last seen: " + last, error);
    }
}
