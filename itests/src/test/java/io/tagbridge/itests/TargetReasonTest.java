package io.tagbridge.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

import io.tagbridge.api.TagIngest;
import io.tagbridge.api.monitor.ComponentHealth;
import io.tagbridge.api.monitor.HealthStatus;
import io.tagbridge.api.monitor.PipelineMonitor;
import io.tagbridge.testkit.Await;
import io.tagbridge.testkit.H2Server;

/**
 * Each reason code a target can show, from its real cause: a real H2 server process with users and grants, real
 * sockets that refuse or stall, a host name no DNS knows, a route the kernel refuses, and Oracle's own driver for
 * what it finds wrong before it connects. Each test asserts the code, that the target is not UP, and that the
 * advice names no host, URL or user (those go in {@code error}).
 */
@ExtendWith(ServiceExtension.class)
class TargetReasonTest {

    private static final String USER = "RESTRICTED_USER";

    /** The writer's table as README, The table has it, with a check that no value passes. */
    private static final String REFUSING_TABLE = "CREATE TABLE %s (TAG_NAME VARCHAR2(256 CHAR) NOT NULL, "
            + "SOURCE_TIME TIMESTAMP(6) NOT NULL, NUM_VALUE NUMBER CHECK (NUM_VALUE < 0), "
            + "STR_VALUE VARCHAR2(4000 CHAR), BOOL_VALUE NUMBER(1), QUALITY NUMBER(3) NOT NULL, "
            + "RECEIVED_TIME TIMESTAMP(6) NOT NULL, GATEWAY_ID VARCHAR2(128 CHAR) NOT NULL, "
            + "PRIMARY KEY (TAG_NAME, SOURCE_TIME))";

    @InjectService
    ConfigurationAdmin cm;

    @InjectService
    TagIngest ingest;

    @InjectService
    PipelineMonitor monitor;

    private H2Server server;
    private TestPipeline pipeline;
    private final List<AutoCloseable> closeLast = new ArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        Assumptions.assumeFalse(TestDatabase.isOracle(), "these tests need an H2 server process with users and grants");
        server = TestDatabase.h2Server();
        server.start();
        pipeline = new TestPipeline(cm);
    }

    @AfterEach
    void stop() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
        for (AutoCloseable c : closeLast) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aWrongPasswordIsCredentialsRefused() throws Exception {
        admin("grants", "CREATE USER IF NOT EXISTS " + USER + " PASSWORD 'right'");
        pipeline.pool("wrongpassword", server.userUrl("grants"), Map.of("username", USER, "password", "wrong"));

        ComponentHealth target = writeAndAwait("wrongpassword", "WRONG_PASSWORD_VALUES", Map.of(),
                "CREDENTIALS_REFUSED");
        assertThat(target.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(target.advice()).contains("fix username and password");
    }

    @Test
    void aTableThatIsNotThereWhileCreatingIsOffIsTableMissing() throws Exception {
        pipeline.pool("notable", server.url("notable"));
        writeAndAwait("notable", "NOT_THERE_VALUES", Map.of("createTable", false), "TABLE_MISSING");
    }

    @Test
    void aTableWithoutTheWritersColumnsIsColumnMissing() throws Exception {
        admin("columns", "CREATE TABLE SHORT_VALUES (TAG_NAME VARCHAR2(256), SOURCE_TIME TIMESTAMP(6))");
        pipeline.pool("columns", server.url("columns"));
        writeAndAwait("columns", "SHORT_VALUES", Map.of("createTable", false), "COLUMN_MISSING");
    }

    @Test
    void aUserWhoseInsertRightWasRevokedIsPrivilegeMissing() throws Exception {
        admin("rights", "CREATE USER IF NOT EXISTS " + USER + " PASSWORD 'right'",
                String.format(REFUSING_TABLE, "GRANTED_VALUES"), "GRANT SELECT, INSERT ON GRANTED_VALUES TO " + USER,
                "REVOKE INSERT ON GRANTED_VALUES FROM " + USER);
        pipeline.pool("restricted", server.userUrl("rights"), Map.of("username", USER, "password", "right"));

        writeAndAwait("restricted", "GRANTED_VALUES", Map.of("createTable", false), "PRIVILEGE_MISSING");
    }

    @Test
    void aSchemaThatDoesNotExistIsSettingsRefused() throws Exception {
        pipeline.pool("noschema", server.url("noschema"));
        writeAndAwait("noschema", "NO_SUCH_SCHEMA.SCHEMALESS_VALUES", Map.of(), "SETTINGS_REFUSED");
    }

    @Test
    void rowsTheTablesCheckConstraintRefusesAreBadRows() throws Exception {
        admin("checked", String.format(REFUSING_TABLE, "CHECKED_VALUES"));
        pipeline.pool("checked", server.url("checked"));
        ComponentHealth target = writeAndAwait("checked", "CHECKED_VALUES", Map.of("createTable", false), "BAD_ROWS");
        assertThat(target.state()).isEqualTo("WRITING");
        assertThat(target.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(target.error()).containsIgnoringCase("check constraint");
        Await.until("the refused rows in backup files", TestPipeline.TIMEOUT, pipeline::backedUpKeys,
                keys -> keys.size() == 10);
    }

    @Test
    void anEmbeddedDatabaseAnotherProcessHasOpenIsEmbeddedDatabaseInUse() throws Exception {
        pipeline.pool("holder", server.url("held"));
        Connection held = pipeline.dataSource("holder").getConnection();
        closeLast.add(held);
        pipeline.pool("embedded", server.embeddedUrl("held"));
        writeAndAwait("embedded", "HELD_VALUES", Map.of(), "EMBEDDED_DATABASE_IN_USE");
    }

    @Test
    void aHostNameNoDnsKnowsIsUnknownHost() throws Exception {
        pipeline.pool("unknownhost", "jdbc:h2:tcp://no-such-host.invalid:" + server.port + "/x");
        writeAndAwait("unknownhost", "UNKNOWN_HOST_VALUES", Map.of(), "UNKNOWN_HOST");
    }

    @Test
    void aTlsUrlToAServerWithoutTlsIsTlsFailed() throws Exception {
        pipeline.pool("tls", "jdbc:h2:ssl://127.0.0.1:" + server.port + "/tls");
        writeAndAwait("tls", "TLS_VALUES", Map.of(), "TLS_FAILED");
    }

    @Test
    void aServerThatHangsUpAtOnceIsDatabaseUnavailable() throws Exception {
        ServerSocket hangsUp = new ServerSocket(0);
        closeLast.add(hangsUp);
        Thread acceptor = new Thread(() -> {
            while (!hangsUp.isClosed()) {
                try (Socket s = hangsUp.accept()) {
                    s.setSoLinger(true, 0);
                } catch (IOException closed) {
                    return;
                }
            }
        }, "hangs-up");
        acceptor.setDaemon(true);
        acceptor.start();
        pipeline.pool("hangsup", "jdbc:h2:tcp://127.0.0.1:" + hangsUp.getLocalPort() + "/x");
        writeAndAwait("hangsup", "HANGS_UP_VALUES", Map.of(), "DATABASE_UNAVAILABLE");
    }

    @Test
    void aListenerThatNeverAcceptsIsConnectTimeout() throws Exception {
        // A backlog of one that nobody accepts: once two connections wait in it, the kernel drops new SYNs.
        ServerSocket full = new ServerSocket(0, 1);
        closeLast.add(full);
        for (int i = 0; i < 3; i++) {
            Socket waiting = new Socket();
            try {
                waiting.connect(new java.net.InetSocketAddress("127.0.0.1", full.getLocalPort()), 500);
            } catch (IOException dropped) {
                // the queue is full already
            }
            closeLast.add(waiting);
        }
        pipeline.pool("stalls", "jdbc:h2:tcp://127.0.0.1:" + full.getLocalPort() + "/x");
        writeAndAwait("stalls", "STALLS_VALUES", Map.of(), "CONNECT_TIMEOUT");
    }

    @Test
    void anAddressTheKernelHasNoRouteToIsHostUnreachable() throws Exception {
        String address = "203.0.113.77";
        Assumptions.assumeTrue(ip("route", "add", "unreachable", address + "/32"),
                "adding an unreachable route needs root (ip route add unreachable " + address + "/32)");
        closeLast.add(() -> ip("route", "del", "unreachable", address + "/32"));
        pipeline.pool("noroute", "jdbc:h2:tcp://" + address + ":9092/x");
        writeAndAwait("noroute", "NO_ROUTE_VALUES", Map.of(), "HOST_UNREACHABLE");
    }

    @Test
    void anOracleAliasTnsnamesDoesNotListIsConnectIdentifierUnknown() throws Exception {
        Path tnsAdmin = Files.createTempDirectory("tagbridge-tns");
        Files.writeString(tnsAdmin.resolve("tnsnames.ora"),
                "OTHER=(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=127.0.0.1)(PORT=1))(CONNECT_DATA=(SERVICE_NAME=X)))\n");
        pipeline.pool("alias", "jdbc:oracle:thin:@SCADA_DB", Map.of("tnsAdmin", tnsAdmin.toString(),
                "username", "scada_user", "password", "secret", "poolMin", 0));
        writeAndAwait("alias", "ALIAS_VALUES", Map.of(), "CONNECT_IDENTIFIER_UNKNOWN");
    }

    @Test
    void anOracleWalletThatIsNotThereIsWalletUnreadable() throws Exception {
        ServerSocket listener = new ServerSocket(0);
        closeLast.add(listener);
        pipeline.pool("wallet", "jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=127.0.0.1)(PORT="
                + listener.getLocalPort() + "))(CONNECT_DATA=(SERVICE_NAME=X)))",
                Map.of("username", "scada_user", "password", "secret", "poolMin", 0,
                        "walletLocation", Files.createTempDirectory("tagbridge-wallet").resolve("gone").toString()));
        writeAndAwait("wallet", "WALLET_VALUES", Map.of(), "WALLET_UNREADABLE");
    }

    /**
     * Configures a writer on the pool of the same name, offers ten values, and waits for the target to show the
     * reason; checks that its advice names no host, URL or user.
     */
    private ComponentHealth writeAndAwait(String pool, String table, Map<String, Object> settings, String reason)
            throws Exception {
        Map<String, Object> more = new java.util.HashMap<>(Map.of("retryMax", 0, "outageProbeSeconds", 3600.0));
        more.putAll(settings);
        pipeline.writer(pool + "-writer", pool, table, more);
        Seen.offer(ingest, TestPipeline.values(pool + ".", 0, 10));
        ComponentHealth target = Await.until("target " + pool + "-writer to report " + reason, TestPipeline.TIMEOUT,
                () -> Seen.health(monitor).targets().get(pool + "-writer"),
                t -> t != null && reason.equals(t.reason()));
        assertThat(target.status()).isNotEqualTo(HealthStatus.UP);
        assertThat(target.advice()).isNotBlank().doesNotContain("127.0.0.1", "203.0.113", "no-such-host", "jdbc:",
                "SCADA_DB", USER, "scada_user", String.valueOf(server.port));
        return target;
    }

    /** Runs statements as the server's administrator, on its own connection. */
    private void admin(String database, String... statements) throws Exception {
        pipeline.pool("admin-" + database, server.url(database));
        DataSource ds = pipeline.dataSource("admin-" + database);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static boolean ip(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException noIpCommand) {
            return false;
        }
    }
}
