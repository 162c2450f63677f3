package io.tagbridge.pool;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * What a pool configuration means: which database, and what is wrong with it. Knows nothing of UCP, so the
 * rules can be tested alone.
 */
final class PoolSettings {

    enum Kind { ORACLE, H2, POSTGRESQL }

    private static final Pattern THIN_CREDENTIALS = Pattern.compile("(?i)(jdbc:oracle:thin:)([^@/]*)/[^@]*@");

    /** The embedded database's file in the data directory, without H2's .mv.db suffix. */
    static final String EMBEDDED_FILE = "tagbridge";

    private PoolSettings() {
    }

    /** Problems with the configuration, each naming the property; empty when it is usable. */
    static List<String> problems(PoolConfig config) {
        List<String> problems = new ArrayList<>();
        if (config.name() == null || config.name().isBlank()) {
            problems.add("name is empty; give the pool a name that writers can refer to");
        }
        String url = trimmed(config.url());
        if (!url.isEmpty() && !url.startsWith("jdbc:oracle:") && !url.startsWith("jdbc:h2:")
                && !url.startsWith("jdbc:postgresql:")) {
            problems.add("url '" + redact(url) + "' is not a jdbc:oracle:, jdbc:h2: or jdbc:postgresql: URL");
        }
        if (url.isEmpty() && !trimmed(config.host()).isEmpty()) {
            if (config.port() < 1 || config.port() > 65535) {
                problems.add("port is " + config.port() + " but must be between 1 and 65535");
            }
            if (trimmed(config.serviceName()).isEmpty()) {
                problems.add("serviceName is empty; set the database's service name, for example XEPDB1");
            }
        }
        if (config.poolMin() < 0) {
            problems.add("poolMin is " + config.poolMin() + " but must be 0 or more");
        }
        if (config.poolMax() < 1) {
            problems.add("poolMax is " + config.poolMax() + " but must be at least 1");
        } else if (config.poolMax() < config.poolMin()) {
            problems.add("poolMax (" + config.poolMax() + ") is below poolMin (" + config.poolMin() + ")");
        }
        positive(problems, "connectionWaitTimeoutSeconds", config.connectionWaitTimeoutSeconds());
        positive(problems, "connectTimeoutSeconds", config.connectTimeoutSeconds());
        positive(problems, "readTimeoutSeconds", config.readTimeoutSeconds());
        return problems;
    }

    static boolean isEmbedded(PoolConfig config) {
        return trimmed(config.url()).isEmpty() && trimmed(config.host()).isEmpty();
    }

    static Kind kind(PoolConfig config) {
        String url = trimmed(config.url());
        if (url.startsWith("jdbc:postgresql:")) {
            return Kind.POSTGRESQL;
        }
        return isEmbedded(config) || url.startsWith("jdbc:h2:") ? Kind.H2 : Kind.ORACLE;
    }

    /**
     * The JDBC URL.
     *
     * @param dataDirectory where the embedded database lives unless {@code embeddedDatabase} names a file
     */
    static String url(PoolConfig config, Path dataDirectory) {
        String url = trimmed(config.url());
        if (url.startsWith("jdbc:h2:tcp:") && !url.toUpperCase(java.util.Locale.ROOT).contains("NETWORK_TIMEOUT=")) {
            // H2's NETWORK_TIMEOUT is the socket's connect and read timeout: the same bound as Oracle's read
            // timeout, so a hung link fails a write instead of hanging it.
            return url + ";NETWORK_TIMEOUT=" + TimeUnit.SECONDS.toMillis(config.readTimeoutSeconds());
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return url + postgresTimeouts(url, config);
        }
        if (!url.isEmpty()) {
            return url;
        }
        if (isEmbedded(config)) {
            String configured = trimmed(config.embeddedDatabase());
            Path file = configured.isEmpty() ? dataDirectory.resolve(EMBEDDED_FILE) : Paths.get(configured);
            // DB_CLOSE_ON_EXIT=FALSE: H2 must not close the database from its own shutdown hook while the
            // writers are still flushing; it closes when the pool closes its last connection.
            // WRITE_DELAY=0: a commit reaches the file (the operating system) before it returns, so a commit the
            // writer saw survives the process being killed; H2's default keeps it in memory for up to 500 ms.
            return "jdbc:h2:file:" + file.toAbsolutePath().normalize()
                    + ";MODE=Oracle;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
        }
        return "jdbc:oracle:thin:@//" + config.host().trim() + ":" + config.port() + "/" + config.serviceName().trim();
    }

    /**
     * The driver's connect and read timeouts (in seconds), unless the url sets them: without a read timeout a
     * write on a link that went silent waits forever.
     */
    private static String postgresTimeouts(String url, PoolConfig config) {
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        StringBuilder added = new StringBuilder();
        if (!lower.contains("connecttimeout=")) {
            added.append("connectTimeout=").append(config.connectTimeoutSeconds());
        }
        if (!lower.contains("sockettimeout=")) {
            added.append(added.length() > 0 ? "&" : "").append("socketTimeout=").append(config.readTimeoutSeconds());
        }
        if (added.length() == 0) {
            return "";
        }
        return (url.contains("?") ? "&" : "?") + added;
    }

    static String username(PoolConfig config) {
        return isEmbedded(config) ? "sa" : trimmed(config.username());
    }

    static String password(PoolConfig config) {
        return isEmbedded(config) || config.password() == null ? "" : config.password();
    }

    /** The URL without a password an operator may have put into it, for logs and service properties. */
    static String redact(String url) {
        return THIN_CREDENTIALS.matcher(url).replaceAll("$1$2/***@");
    }

    private static void positive(List<String> problems, String property, int value) {
        if (value < 1) {
            problems.add(property + " is " + value + " but must be at least 1");
        }
    }

    /**
     * Driver properties of an Oracle pool: bounded timeouts, so that a hung network never hangs a writer, and
     * the TLS material for TCPS.
     */
    static Properties oracleConnectionProperties(PoolConfig config, String trustStorePassword) {
        Properties p = new Properties();
        p.setProperty("oracle.net.CONNECT_TIMEOUT", Long.toString(TimeUnit.SECONDS.toMillis(config.connectTimeoutSeconds())));
        p.setProperty("oracle.jdbc.ReadTimeout", Long.toString(TimeUnit.SECONDS.toMillis(config.readTimeoutSeconds())));
        putIfSet(p, "oracle.net.tns_admin", config.tnsAdmin());
        putIfSet(p, "oracle.net.wallet_location", config.walletLocation());
        putIfSet(p, "javax.net.ssl.trustStore", config.trustStore());
        if (!trimmed(config.trustStore()).isEmpty()) {
            putIfSet(p, "javax.net.ssl.trustStoreType",
                    config.trustStore().trim().toLowerCase(java.util.Locale.ROOT).endsWith(".jks") ? "JKS" : "PKCS12");
            putIfSet(p, "javax.net.ssl.trustStorePassword", trustStorePassword);
        }
        return p;
    }

    private static void putIfSet(Properties p, String key, String value) {
        if (!trimmed(value).isEmpty()) {
            p.setProperty(key, value.trim());
        }
    }

    static String trimmed(String s) {
        return s == null ? "" : s.trim();
    }
}
