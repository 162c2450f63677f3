package io.tagbridge.itests;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Map;

import javax.sql.DataSource;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;

import io.tagbridge.testkit.H2Server;

/**
 * The database the itests write to: an in-memory H2 database in Oracle mode per test, or, under the oracle
 * profile, the real Oracle it names (the same tests, the same assertions).
 */
final class TestDatabase {

    private static final BundleContext CONTEXT = FrameworkUtil.getBundle(TestDatabase.class).getBundleContext();

    private TestDatabase() {
    }

    /** A real H2 server in a process of its own, on the framework's H2 jar, so that server and driver agree. */
    static H2Server h2Server() throws IOException {
        Bundle h2 = Arrays.stream(CONTEXT.getBundles()).filter(b -> "com.h2database".equals(b.getSymbolicName()))
                .findFirst().orElseThrow(() -> new IllegalStateException("the H2 bundle is not installed"));
        String location = h2.getLocation().replaceFirst("^reference:", "").replaceFirst("^file:", "");
        return new H2Server(Files.createTempDirectory("tagbridge-h2server"),
                Path.of(new File(location).getAbsolutePath()));
    }

    static boolean isOracle() {
        return !property("tagbridge.it.oracle.url").isBlank();
    }

    /** Pool settings for the test database named {@code name}. */
    static Map<String, Object> poolSettings(String name) {
        if (isOracle()) {
            return Map.of("url", property("tagbridge.it.oracle.url"), "username", property("tagbridge.it.oracle.user"),
                    "password", property("tagbridge.it.oracle.password"), "poolMin", 1, "poolMax", 3);
        }
        return Map.of("url", "jdbc:h2:mem:" + name + ";MODE=Oracle;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "username", "sa", "password", "", "poolMin", 1, "poolMax", 3);
    }

    /** On a real Oracle, tables outlive a run: drop the test's table so that counts start at zero. */
    static void dropIfOracle(DataSource ds, String table) {
        if (!isOracle()) {
            return;
        }
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE " + table + " PURGE");
        } catch (SQLException notThere) {
            // ORA-00942: nothing to drop
        }
    }

    private static String property(String key) {
        String value = CONTEXT.getProperty(key);
        if (value != null && value.startsWith("${env.")) {
            throw new IllegalStateException("the oracle profile needs the environment variables TAGBRIDGE_ORACLE_URL, "
                    + "TAGBRIDGE_ORACLE_USER and TAGBRIDGE_ORACLE_PASSWORD (see README, Testing against a real Oracle)");
        }
        return value == null ? "" : value;
    }
}
