package io.tagbridge.pool;

import java.sql.SQLException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.annotation.bundle.Capability;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.pipeline.DataDirectory;
import io.tagbridge.api.security.SecretBox;
import oracle.jdbc.pool.OracleDataSource;
import oracle.ucp.UniversalConnectionPoolException;
import oracle.ucp.admin.UniversalConnectionPoolManagerImpl;
import oracle.ucp.jdbc.PoolDataSource;
import oracle.ucp.jdbc.PoolDataSourceFactory;

/**
 * One UCP pool per configuration instance, published as a {@link DataSource} service.
 *
 * <p>The service is registered by hand rather than by DS so that its properties are chosen here: DS would
 * copy every configuration property, the password included, onto the service, where any bundle (and the web
 * console) can read it. The service carries the pool's {@code name}, which writers target.
 */
// For resolvers (Karaf features, bnd): the pool registers its DataSource by hand, once it has started,
// so DS cannot declare it.
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=javax.sql.DataSource")
@Component(configurationPid = PoolConfig.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = PoolConfig.class, factory = true)
public class PoolComponent {

    /** Service property naming the pool; writers select their pool with a filter on it. */
    public static final String NAME_PROPERTY = "name";

    private static final Logger LOG = LoggerFactory.getLogger(PoolComponent.class);
    private static final AtomicInteger GENERATION = new AtomicInteger();

    static {
        // UCP's own JVM shutdown hook stops every pool at once, racing the framework's orderly stop: writers
        // flushing on SIGTERM would find no connection. The pools' lifecycle is this component's job.
        if (System.getProperty("oracle.ucp.enableShutdownHook") == null) {
            System.setProperty("oracle.ucp.enableShutdownHook", "false");
        }
    }

    private final String ucpName;
    private final ServiceRegistration<DataSource> registration;

    @Activate
    public PoolComponent(BundleContext context, PoolConfig config, @Reference DataDirectory data,
            @Reference SecretBox box) {
        List<String> problems = new ArrayList<>(PoolSettings.problems(config));
        Secrets secrets = Secrets.open(config, box, problems);
        if (!problems.isEmpty()) {
            LOG.error("Configuration {}~{} rejected, the pool is not started: {}", PoolConfig.FACTORY_PID,
                    config.name(), String.join("; ", problems));
            this.ucpName = null;
            this.registration = null;
            return;
        }
        this.ucpName = "tagbridge-" + config.name() + "-" + GENERATION.incrementAndGet();
        UcpLog.install();
        String url = PoolSettings.url(config, data.path());
        DataSource dataSource = new ContextClassLoaderDataSource(createPool(config, secrets, url, ucpName),
                new BundleFirstClassLoader(getClass().getClassLoader(), PoolDataSource.class.getClassLoader()));
        this.registration = context.registerService(DataSource.class, dataSource, serviceProperties(config, url));
        LOG.info("Pool {} ready: {} as {}, {} to {} connections", config.name(),
                PoolSettings.redact(url), PoolSettings.username(config), config.poolMin(),
                config.poolMax());
    }

    /**
     * How long a stop waits for the pool's connections to close: a database that answers closes them in a few
     * round trips, and a hung one must not hold the stop up. With the writers' own wait (2 s) it must leave the
     * gateway room to stop within 5 s of SIGTERM.
     */
    static final long CLOSE_WAIT_MILLIS = 1_000;

    @Deactivate
    void deactivate() {
        if (registration == null) {
            return;
        }
        registration.unregister();
        Thread closer = new Thread(this::destroy, "tagbridge-pool-close-" + ucpName);
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closer.isAlive()) {
            LOG.warn("Pool {}: its connections did not close within {} ms (the database does not answer); they are "
                    + "left to close with the process", ucpName, CLOSE_WAIT_MILLIS);
        }
        UcpLog.uninstall();
    }

    private void destroy() {
        try {
            UniversalConnectionPoolManagerImpl.getUniversalConnectionPoolManager().destroyConnectionPool(ucpName);
        } catch (UniversalConnectionPoolException e) {
            // The pool never started because no connection was ever borrowed: nothing to close.
            LOG.debug("Pool {} was not started: {}", ucpName, e.getMessage());
        }
    }

    /** The pool's secrets, opened for the driver only: ConfigAdmin, the console and the service keep them sealed. */
    record Secrets(String password, String trustStorePassword) {

        static Secrets open(PoolConfig config, SecretBox box, List<String> problems) {
            try {
                return new Secrets(box.open(PoolSettings.password(config)), box.open(config.trustStorePassword()));
            } catch (IllegalArgumentException e) {
                problems.add("password: " + e.getMessage());
                return null;
            }
        }
    }

    static final String H2_VALIDATION = "SELECT 1 FROM DUAL";

    /**
     * UCP takes a java.sql.Driver as its connection factory and hands it the URL as it is; PostgreSQL's data source
     * classes would need each setting set on them. Named, not linked: the driver is an optional import (bnd.bnd).
     */
    static final String POSTGRESQL_DRIVER = "org.postgresql.Driver";

    /** Statements cached per Oracle connection. */
    static final int STATEMENT_CACHE = 10;

    /** Service property: the pool's most connections at once, which bounds a writer's {@code writeConnections}. */
    static final String POOL_MAX_PROPERTY = "tagbridge.poolMax";

    static PoolDataSource createPool(PoolConfig config, Secrets secrets, String url, String ucpName) {
        try {
            PoolDataSource pool = PoolDataSourceFactory.getPoolDataSource();
            pool.setConnectionPoolName(ucpName);
            PoolSettings.Kind kind = PoolSettings.kind(config);
            boolean oracle = kind == PoolSettings.Kind.ORACLE;
            pool.setConnectionFactoryClassName(switch (kind) {
                case ORACLE -> OracleDataSource.class.getName();
                case H2 -> JdbcDataSource.class.getName();
                case POSTGRESQL -> POSTGRESQL_DRIVER;
            });
            pool.setURL(url);
            pool.setUser(PoolSettings.username(config));
            pool.setPassword(secrets.password());
            pool.setInitialPoolSize(config.poolMin());
            pool.setMinPoolSize(config.poolMin());
            pool.setMaxPoolSize(config.poolMax());
            pool.setConnectionWaitTimeout(config.connectionWaitTimeoutSeconds());
            // A borrow that needs a new connection opens it itself: when the database is down it fails as soon
            // as the driver gives up, instead of waiting out connectionWaitTimeout for a background thread.
            // Otherwise each retry costs that wait on top of its backoff (measured: 5 s per attempt), and a
            // short outage fills the buffer before a single batch reaches its backup file.
            pool.setCreateConnectionInBorrowThread(true);
            pool.setInactiveConnectionTimeout(config.inactiveConnectionTimeoutSeconds());
            pool.setValidateConnectionOnBorrow(config.validateOnBorrow());
            if (oracle) {
                pool.setConnectionProperties(PoolSettings.oracleConnectionProperties(config, secrets.trustStorePassword()));
                // Oracle's JDBC guide recommends the statement cache, and its drivers assume it: a statement
                // prepared again after a connection went back to the pool is not parsed again. A writer prepares
                // four; the rest is room for the health check and the store's reads.
                pool.setMaxStatements(STATEMENT_CACHE);
                pool.setFastConnectionFailoverEnabled(config.fastConnectionFailover());
                if (config.fastConnectionFailover() && !PoolSettings.trimmed(config.onsConfiguration()).isEmpty()) {
                    pool.setONSConfiguration(config.onsConfiguration().trim());
                }
            } else if (kind == PoolSettings.Kind.POSTGRESQL) {
                pool.setLoginTimeout(config.connectTimeoutSeconds());
            } else {
                pool.setLoginTimeout(config.connectTimeoutSeconds());
                // H2 closes a database whose file it could not write (a full disk), and its connections go on
                // answering isValid() with true while every statement fails with 90098. A query on borrow finds
                // them out, so that UCP opens new ones, which reopen the database once there is room again.
                pool.setSQLForValidateConnection(H2_VALIDATION);
            }
            return pool;
        } catch (SQLException e) {
            throw new IllegalStateException("UCP refused the pool settings of " + config.name() + ": "
                    + e.getMessage(), e);
        }
    }

    private static Dictionary<String, Object> serviceProperties(PoolConfig config, String url) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(NAME_PROPERTY, config.name());
        properties.put("tagbridge.database", switch (PoolSettings.kind(config)) {
            case ORACLE -> "oracle";
            case POSTGRESQL -> "postgresql";
            case H2 -> PoolSettings.isEmbedded(config) ? "h2-embedded" : "h2";
        });
        properties.put("tagbridge.url", PoolSettings.redact(url));
        properties.put(POOL_MAX_PROPERTY, config.poolMax());
        return properties;
    }
}
