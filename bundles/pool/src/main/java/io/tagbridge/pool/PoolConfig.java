package io.tagbridge.pool;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "Tagbridge Oracle Pool",
        description = "A pool of connections to one Oracle database (Oracle UCP). Leave Host and JDBC URL empty to "
                + "use the embedded H2 database under ./data instead, which needs no database server.")
public @interface PoolConfig {

    String FACTORY_PID = "io.tagbridge.oracle.pool";

    @AttributeDefinition(
            name = "Name",
            description = "Name of this pool. Writers pick their pool by this name (writer setting Pool).")
    String name() default "default";

    /** How the web console lists an instance: by its name rather than its PID. */
    @AttributeDefinition(name = "Listed as", description = "How the web console lists this instance.")
    String webconsole_configurationFactory_nameHint() default "Pool {name}";

    @AttributeDefinition(
            name = "JDBC URL",
            description = "Full JDBC URL or connect descriptor, for example "
                    + "jdbc:oracle:thin:@//db.example.com:1521/XEPDB1 or jdbc:oracle:thin:@(DESCRIPTION=...). "
                    + "When set, it overrides Host, Port and Service name. jdbc:postgresql://host:5432/database writes to "
                    + "PostgreSQL (see README, PostgreSQL); jdbc:h2: URLs are accepted for testing.",
            required = false)
    String url() default "";

    @AttributeDefinition(
            name = "Host",
            description = "Oracle host name or address. Empty (and no JDBC URL) means the embedded H2 database.",
            required = false)
    String host() default "";

    @AttributeDefinition(name = "Port", description = "Oracle listener port, 1 to 65535.", min = "1", max = "65535")
    int port() default 1521;

    @AttributeDefinition(
            name = "Service name",
            description = "Oracle service name of the database (not the SID), for example XEPDB1 or FREEPDB1.")
    String serviceName() default "XEPDB1";

    @AttributeDefinition(name = "Username", description = "Database user that owns or may insert into the table.")
    String username() default "scada_user";

    @AttributeDefinition(
            name = "Password",
            description = "Password of the database user. It is never logged nor shown by the REST endpoints.",
            type = AttributeType.PASSWORD,
            required = false)
    String password() default "";

    @AttributeDefinition(
            name = "Minimum connections",
            description = "Connections kept open even when idle. 0 or more.",
            min = "0")
    int poolMin() default 2;

    @AttributeDefinition(
            name = "Maximum connections",
            description = "Most connections open at once. At least 1 and not below the minimum.",
            min = "1")
    int poolMax() default 5;

    @AttributeDefinition(
            name = "Connection wait timeout (s)",
            description = "How long a writer waits for a free connection before the attempt fails and is retried.",
            min = "1")
    int connectionWaitTimeoutSeconds() default 5;

    @AttributeDefinition(
            name = "Connect timeout (s)",
            description = "How long opening a network connection to the database may take. Bounds the wait when "
                    + "the host is unreachable.",
            min = "1")
    int connectTimeoutSeconds() default 10;

    @AttributeDefinition(
            name = "Read timeout (s)",
            description = "How long a statement may wait for the database to answer before the connection is "
                    + "considered lost. Bounds the wait when the network hangs (Oracle, and H2 over TCP).",
            min = "1")
    int readTimeoutSeconds() default 60;

    @AttributeDefinition(
            name = "Inactive connection timeout (s)",
            description = "An idle connection above the minimum is closed after this long. 0 keeps idle connections.",
            min = "0")
    int inactiveConnectionTimeoutSeconds() default 300;

    @AttributeDefinition(
            name = "Validate on borrow",
            description = "Check that a connection still works before a writer uses it, so that a connection the "
                    + "network dropped is replaced instead of failing a batch.")
    boolean validateOnBorrow() default true;

    @AttributeDefinition(
            name = "Fast Connection Failover",
            description = "For RAC and Data Guard: receive FAN events over ONS and drop connections to a failed "
                    + "instance at once.")
    boolean fastConnectionFailover() default false;

    @AttributeDefinition(
            name = "ONS configuration",
            description = "Where the ONS daemons listen, for Fast Connection Failover, for example "
                    + "nodes=rac1:6200,rac2:6200. Empty lets the driver take it from the database (12c and later).",
            required = false)
    String onsConfiguration() default "";

    @AttributeDefinition(
            name = "TNS_ADMIN directory",
            description = "Directory with tnsnames.ora and sqlnet.ora, for TNS aliases in the URL and for wallets "
                    + "an Autonomous Database download brings. Empty: not used.",
            required = false)
    String tnsAdmin() default "";

    @AttributeDefinition(
            name = "Wallet directory",
            description = "Directory of an Oracle wallet (cwallet.sso) for TCPS connections. Empty: not used.",
            required = false)
    String walletLocation() default "";

    @AttributeDefinition(
            name = "Trust store",
            description = "Java trust store (JKS or PKCS12 file) with the database's certificate, for TCPS without "
                    + "a wallet. Empty: the JVM's default trust store.",
            required = false)
    String trustStore() default "";

    @AttributeDefinition(
            name = "Trust store password",
            description = "Password of the trust store, if it has one. Never logged.",
            type = AttributeType.PASSWORD,
            required = false)
    String trustStorePassword() default "";

    @AttributeDefinition(
            name = "Embedded database file",
            description = "Where the embedded H2 database lives when no Oracle is configured, without the .mv.db "
                    + "suffix; relative paths start at the gateway's working directory. Empty: tagbridge in the "
                    + "gateway's data directory (./data unless the framework property tagbridge.data says otherwise).",
            required = false)
    String embeddedDatabase() default "";
}
