package io.tagbridge.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.tagbridge.testkit.ConfigDefaults;

class PoolSettingsTest {

    private static final java.nio.file.Path DATA = java.nio.file.Path.of("/srv/tagbridge/data");

    /** A configuration with the real defaults (see ConfigDefaults), changed where a test says. */
    static class Config implements PoolConfig {
        String name = d("name"), url = d("url"), host = d("host"), serviceName = d("serviceName"), password = "secret";
        int port = d("port"), poolMin = d("poolMin"), poolMax = d("poolMax"), wait = d("connectionWaitTimeoutSeconds");
        String embeddedDatabase = d("embeddedDatabase");
        String tnsAdmin = d("tnsAdmin"), wallet = d("walletLocation"), trustStore = d("trustStore"),
                trustStorePassword = d("trustStorePassword");
        public Class<? extends Annotation> annotationType() { return PoolConfig.class; }
        public String name() { return name; }
        public String webconsole_configurationFactory_nameHint() { return d("webconsole_configurationFactory_nameHint"); }
        public String url() { return url; }
        public String host() { return host; }
        public int port() { return port; }
        public String serviceName() { return serviceName; }
        public String username() { return d("username"); }
        public String password() { return password; }
        public int poolMin() { return poolMin; }
        public int poolMax() { return poolMax; }
        public int connectionWaitTimeoutSeconds() { return wait; }
        public int connectTimeoutSeconds() { return d("connectTimeoutSeconds"); }
        public int readTimeoutSeconds() { return d("readTimeoutSeconds"); }
        public String embeddedDatabase() { return embeddedDatabase; }
        public int inactiveConnectionTimeoutSeconds() { return d("inactiveConnectionTimeoutSeconds"); }
        public boolean validateOnBorrow() { return d("validateOnBorrow"); }
        public boolean fastConnectionFailover() { return d("fastConnectionFailover"); }
        public String onsConfiguration() { return d("onsConfiguration"); }
        public String tnsAdmin() { return tnsAdmin; }
        public String walletLocation() { return wallet; }
        public String trustStore() { return trustStore; }
        public String trustStorePassword() { return trustStorePassword; }

        private static <T> T d(String element) {
            return ConfigDefaults.of(PoolConfig.class, element);
        }
    }

    @Test
    void noHostAndNoUrlMeansTheEmbeddedH2InOracleMode() {
        Config c = new Config();
        assertThat(PoolSettings.kind(c)).isEqualTo(PoolSettings.Kind.H2);
        assertThat(PoolSettings.url(c, DATA)).isEqualTo(
                "jdbc:h2:file:/srv/tagbridge/data/tagbridge;MODE=Oracle;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        assertThat(PoolSettings.password(c)).isEmpty();
    }

    @Test
    void aConfiguredEmbeddedFileIsUsedInsteadOfTheDataDirectory() {
        Config c = new Config();
        c.embeddedDatabase = "/var/lib/plant/values";
        assertThat(PoolSettings.url(c, DATA)).startsWith("jdbc:h2:file:/var/lib/plant/values;");
    }

    @Test
    void anH2ServerUrlGetsTheReadTimeoutAsItsNetworkTimeout() {
        Config c = new Config();
        c.url = "jdbc:h2:tcp://db:9092/values;MODE=Oracle";
        assertThat(PoolSettings.url(c, DATA)).isEqualTo("jdbc:h2:tcp://db:9092/values;MODE=Oracle;NETWORK_TIMEOUT="
                + c.readTimeoutSeconds() * 1000);

        c.url = "jdbc:h2:tcp://db:9092/values;network_timeout=5000";
        assertThat(PoolSettings.url(c, DATA)).as("a timeout in the URL wins").isEqualTo(c.url);
    }

    @Test
    void hostPortAndServiceNameMakeAThinUrl() {
        Config c = new Config();
        c.host = "db.example.com";
        assertThat(PoolSettings.kind(c)).isEqualTo(PoolSettings.Kind.ORACLE);
        assertThat(PoolSettings.url(c, DATA)).isEqualTo("jdbc:oracle:thin:@//db.example.com:" + c.port + "/"
                + c.serviceName);
        assertThat(PoolSettings.password(c)).isEqualTo("secret");
    }

    @Test
    void aUrlOverridesHostPortAndServiceName() {
        Config c = new Config();
        c.host = "ignored";
        c.url = "jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS_LIST=(ADDRESS=(HOST=a)(PORT=1521)))(CONNECT_DATA=(SERVICE_NAME=s)))";
        assertThat(PoolSettings.url(c, DATA)).isEqualTo(c.url);
    }

    @Test
    void poolMaxBelowPoolMinIsRejectedNamingBoth() {
        Config c = new Config();
        c.poolMin = 4;
        c.poolMax = 3;
        assertThat(PoolSettings.problems(c)).containsExactly("poolMax (3) is below poolMin (4)");
    }

    @Test
    void otherProblemsNameTheirProperty() {
        Config c = new Config();
        c.host = "db";
        c.port = 0;
        c.serviceName = " ";
        c.url = "";
        c.wait = 0;
        c.name = "";
        assertThat(PoolSettings.problems(c)).extracting(p -> p.split(" ")[0])
                .containsExactly("name", "port", "serviceName", "connectionWaitTimeoutSeconds");
    }

    @Test
    void aForeignUrlIsRejected() {
        Config c = new Config();
        c.url = "jdbc:mysql://x/y";
        assertThat(PoolSettings.problems(c)).singleElement().asString().startsWith("url ")
                .contains("jdbc:postgresql:");
    }

    @Test
    void aPostgresUrlGetsTheConnectAndReadTimeoutsUnlessItSetsThem() {
        Config c = new Config();
        c.url = "jdbc:postgresql://db:5432/plant";
        assertThat(PoolSettings.problems(c)).isEmpty();
        assertThat(PoolSettings.kind(c)).isEqualTo(PoolSettings.Kind.POSTGRESQL);
        assertThat(PoolSettings.url(c, Path.of("data"))).isEqualTo("jdbc:postgresql://db:5432/plant?connectTimeout="
                + c.connectTimeoutSeconds() + "&socketTimeout=" + c.readTimeoutSeconds());
        c.url = "jdbc:postgresql://db/plant?ssl=true&socketTimeout=9&connectTimeout=3";
        assertThat(PoolSettings.url(c, Path.of("data"))).isEqualTo(c.url);
    }

    @Test
    void passwordsInAUrlAreRedacted() {
        assertThat(PoolSettings.redact("jdbc:oracle:thin:scott/tiger@//h:1521/s"))
                .isEqualTo("jdbc:oracle:thin:scott/***@//h:1521/s");
    }

    @Test
    void oracleConnectionsHaveBoundedConnectAndReadTimeouts() {
        Config c = new Config();
        java.util.Properties p = PoolSettings.oracleConnectionProperties(c, "");
        assertThat(p).containsEntry("oracle.net.CONNECT_TIMEOUT", String.valueOf(c.connectTimeoutSeconds() * 1000))
                .containsEntry("oracle.jdbc.ReadTimeout", String.valueOf(c.readTimeoutSeconds() * 1000));
        assertThat(p).doesNotContainKeys("oracle.net.wallet_location", "javax.net.ssl.trustStore");
    }

    @Test
    void anOraclePoolCachesStatementsAndValidatesOnBorrowWithUcpsOwnPing() throws Exception {
        Config c = new Config();
        c.host = "db.example";
        oracle.ucp.jdbc.PoolDataSource pool = PoolComponent.createPool(c, new PoolComponent.Secrets("secret", ""),
                PoolSettings.url(c, DATA), "test-oracle-pool");
        assertThat(pool.getMaxStatements()).isEqualTo(PoolComponent.STATEMENT_CACHE).isPositive();
        assertThat(pool.getValidateConnectionOnBorrow()).isTrue();
        assertThat(pool.getSQLForValidateConnection()).as("Oracle's guide: no SQL, UCP pings").isNull();
        assertThat(pool.getMaxPoolSize()).isEqualTo(c.poolMax());
    }

    @Test
    void tlsSettingsBecomeDriverProperties() {
        Config c = new Config();
        c.wallet = "/opt/wallet";
        c.tnsAdmin = "/opt/wallet";
        c.trustStore = "/opt/truststore.p12";
        assertThat(PoolSettings.oracleConnectionProperties(c, "changeit"))
                .containsEntry("oracle.net.wallet_location", "/opt/wallet")
                .containsEntry("oracle.net.tns_admin", "/opt/wallet")
                .containsEntry("javax.net.ssl.trustStore", "/opt/truststore.p12")
                .containsEntry("javax.net.ssl.trustStoreType", "PKCS12")
                .containsEntry("javax.net.ssl.trustStorePassword", "changeit");
    }
}
