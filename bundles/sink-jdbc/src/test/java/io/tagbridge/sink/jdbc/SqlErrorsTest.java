package io.tagbridge.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLRecoverableException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tagbridge.api.sink.FailureKind;
import oracle.jdbc.OracleDatabaseException;

/**
 * Exceptions built the way ojdbc11 raises them: a java.sql subclass with Oracle's message, SQLState and error
 * number, caused by the driver's own {@link OracleDatabaseException}.
 */
class SqlErrorsTest {

    private static SQLException oracle(int code, String state, String message) {
        OracleDatabaseException cause = new OracleDatabaseException(0, code, message, "INSERT", "INSERT");
        String text = String.format("ORA-%05d: %s", code, message);
        SQLException e = switch (state.substring(0, 2)) {
            case "08" -> new SQLRecoverableException(text, state, code);
            case "23" -> new SQLIntegrityConstraintViolationException(text, state, code);
            case "42" -> new SQLSyntaxErrorException(text, state, code);
            case "40", "61" -> new SQLTransactionRollbackException(text, state, code);
            default -> new SQLException(text, state, code);
        };
        e.initCause(cause);
        return e;
    }

    @ParameterizedTest(name = "ORA-{0} ({2}) is {3}")
    @CsvSource({
            "17002, 08006, IO Error: The Network Adapter could not establish the connection, TRANSIENT",
            "12541, 08006, TNS:no listener, TRANSIENT",
            "12170, 08006, TNS:Connect timeout occurred, TRANSIENT",
            "3113, 08000, end-of-file on communication channel, TRANSIENT",
            "60, 61000, deadlock detected while waiting for resource, TRANSIENT",
            "18, 72000, maximum number of sessions exceeded, TRANSIENT",
            "1013, 72000, user requested cancel of current operation, TRANSIENT",
            "1, 23000, unique constraint (SCADA.TAG_VALUES_PK) violated, BAD_DATA",
            "12899, 72000, value too large for column STR_VALUE (actual: 5000 maximum: 4000), BAD_DATA",
            "1438, 22003, value larger than specified precision allowed for this column, BAD_DATA",
            "1722, 42000, invalid number, BAD_DATA",
            "1400, 23000, cannot insert NULL into (SCADA.TAG_VALUES.TAG_NAME), BAD_DATA",
            "1017, 72000, invalid credential or not authorized; logon denied, REFUSED_SETTINGS",
            "28000, 72000, The account is locked., REFUSED_SETTINGS",
            "942, 42000, table or view does not exist, REFUSED_SETTINGS",
            "1031, 42000, insufficient privileges, REFUSED_SETTINGS",
            "12514, 08006, TNS:listener does not currently know of service requested in connect descriptor, REFUSED_SETTINGS",
            "1653, 72000, unable to extend table SCADA.TAG_VALUES by 128 in tablespace USERS, REFUSED_SETTINGS",
    })
    void oracleErrorsFallIntoExactlyOneClass(int code, String state, String message, FailureKind expected) {
        assertThat(SqlErrors.classify(oracle(code, state, message))).isEqualTo(expected);
    }

    @Test
    void theDatabasesErrorIsFoundInsideThePoolsAndTheBatchsWrappers() {
        SQLException ucp = new SQLException("UCP-29: Failed to get a connection", null, 29);
        ucp.initCause(oracle(1017, "72000", "invalid credential or not authorized; logon denied"));
        assertThat(SqlErrors.classify(ucp)).isEqualTo(FailureKind.REFUSED_SETTINGS);
        assertThat(SqlErrors.isAuthentication(ucp)).isTrue();

        BatchUpdateException batch = new BatchUpdateException("ORA-12899 in batch", "72000", 12899, new int[0]);
        batch.setNextException(oracle(12899, "72000", "value too large for column"));
        assertThat(SqlErrors.classify(batch)).isEqualTo(FailureKind.BAD_DATA);
    }

    @Test
    void withoutAVendorCodeTheSqlStateOrTheExceptionTypeDecides() {
        assertThat(SqlErrors.classify(new SQLException("x", "23505", 23505))).isEqualTo(FailureKind.BAD_DATA);
        assertThat(SqlErrors.classify(new SQLException("x", "42S02", 42102))).isEqualTo(FailureKind.REFUSED_SETTINGS);
        assertThat(SqlErrors.classify(new SQLTransientConnectionException("x"))).isEqualTo(FailureKind.TRANSIENT);
        assertThat(SqlErrors.classify(new SQLIntegrityConstraintViolationException("x"))).isEqualTo(FailureKind.BAD_DATA);
    }

    @Test
    void whatIsNotRecognisedIsRetriedRatherThanDropped() {
        assertThat(SqlErrors.classify(new SQLException("something new"))).isEqualTo(FailureKind.TRANSIENT);
        assertThat(SqlErrors.classify(new IllegalStateException("not even SQL"))).isEqualTo(FailureKind.TRANSIENT);
    }

    @Test
    void descriptionsSayWhatToFix() {
        assertThat(SqlErrors.describe(oracle(1017, "72000", "invalid credential or not authorized; logon denied")))
                .startsWith("ORA-01017").contains("vendor code 1017", "fix username and password", "lock the account");
        assertThat(SqlErrors.describe(oracle(942, "42000", "table or view does not exist")))
                .contains("check tableName and grants");
        assertThat(SqlErrors.describe(oracle(28000, "72000", "The account is locked."))).contains("unlock");
        assertThat(SqlErrors.describe(oracle(12514, "08006", "TNS:listener does not currently know of service")))
                .contains("check serviceName or url");
    }

    @Test
    void connectionFailuresNameTheSettingToCheck() {
        assertThat(SqlErrors.describe(oracle(12541, "08006", "Cannot connect. No listener at host db1 port 1521.")))
                .contains("check host and port");
        assertThat(SqlErrors.describe(oracle(17868, "08006", "Unknown host specified.: db-typo")))
                .contains("host name cannot be resolved");
        assertThat(SqlErrors.describe(oracle(12170, "08006", "Cannot connect. TCP connect timeout of 10000ms")))
                .contains("connectTimeoutSeconds");
        assertThat(SqlErrors.describe(oracle(29024, "08006", "Certificate validation failure")))
                .contains("trustStore");
        assertThat(SqlErrors.describe(new SQLException("Database may be already in use", "90020", 90020)))
                .contains("running gateway").contains("tagbridge:testconnection");
    }

    @Test
    void withoutAKnownCodeTheNetworkExceptionUnderneathGivesTheAdvice() {
        SQLException tls = new SQLRecoverableException("IO Error: handshake failed", "08006", 17002);
        tls.initCause(new javax.net.ssl.SSLHandshakeException("PKIX path building failed"));
        SQLException timeout = new SQLRecoverableException("IO Error: Socket read timed out", "08006", 17002);
        timeout.initCause(new java.net.SocketTimeoutException("Read timed out"));

        assertThat(SqlErrors.describe(tls)).contains("TLS handshake failed");
        assertThat(SqlErrors.describe(timeout)).contains("timed out");
    }

    /**
     * The reason codes only an Oracle server raises (readme-coverage's oracle-only-reasons.txt), from the errors as
     * ojdbc11 raises them; the states are those of the server's answers.
     */
    @ParameterizedTest(name = "ORA-{0} ({1}) is reported as {3}")
    @CsvSource({
            "28000, 72000, The account is locked., ACCOUNT_LOCKED",
            "1950, 42000, no privileges on tablespace USERS, NO_QUOTA",
            "1653, 72000, unable to extend table SCADA.TAG_VALUES by 128 in tablespace USERS, TABLESPACE_FULL",
            "1688, 72000, unable to extend table SCADA.TAG_VALUES partition P1 by 128 in tablespace USERS, TABLESPACE_FULL",
            "12514, 08006, Cannot connect. Service FREEPDB9 is not registered with the listener, SERVICE_UNKNOWN",
            "12505, 08006, Cannot connect. SID XE is not registered with the listener, SERVICE_UNKNOWN",
    })
    void whatOnlyAnOracleServerRaisesHasItsOwnReasonCode(int code, String state, String message, String reason) {
        SQLException ucp = new SQLException("UCP-29: Failed to get a connection", null, 29);
        ucp.initCause(oracle(code, state, message));
        assertThat(SqlErrors.diagnose(ucp).reason()).isEqualTo(reason);
        assertThat(SqlErrors.classify(ucp)).isEqualTo(FailureKind.REFUSED_SETTINGS);
    }

    /**
     * Client-side errors with the SQLStates ojdbc11 23.26 really gives them (seen by connecting with it): 17868 comes
     * as 22000, which alone would read as bad data and send good rows to backup files.
     */
    @ParameterizedTest(name = "ORA-{0} ({1}) is {3}, reported as {4}")
    @CsvSource({
            "17868, 22000, Unknown host specified.: db-typo: Name or service not known, TRANSIENT, UNKNOWN_HOST",
            "12541, 66000, Cannot connect. No listener at host db1 port 1521., TRANSIENT, NO_LISTENER",
            "12154, 66000, Cannot connect to database. Could not find alias SCADA in tnsnames.ora., REFUSED_SETTINGS, CONNECT_IDENTIFIER_UNKNOWN",
            "17956, 42000, Unable to parse the wallet location supplied, REFUSED_SETTINGS, WALLET_UNREADABLE",
            "17958, 22023, Unable to initialize the trust store., REFUSED_SETTINGS, WALLET_UNREADABLE",
    })
    void theDriversOwnConnectErrorsAreNeverTakenForBadRows(int code, String state, String message, FailureKind kind,
            String reason) {
        SQLException driver = new SQLException(String.format("ORA-%05d: %s", code, message), state, code);
        assertThat(SqlErrors.classify(driver)).isEqualTo(kind);
        assertThat(SqlErrors.diagnose(driver).reason()).isEqualTo(reason);
    }

    @Test
    void h2AndPostgresqlSayMissingTablesColumnsAndRightsInTheSqlState() {
        assertThat(SqlErrors.diagnose(new SQLSyntaxErrorException("Table \"X\" not found", "42S02", 42102)).reason())
                .isEqualTo("TABLE_MISSING");
        assertThat(SqlErrors.diagnose(new SQLException("relation \"x\" does not exist", "42P01")).reason())
                .isEqualTo("TABLE_MISSING");
        assertThat(SqlErrors.diagnose(new SQLSyntaxErrorException("Column \"B\" not found", "42S22", 42122))
                .reason()).isEqualTo("COLUMN_MISSING");
        assertThat(SqlErrors.diagnose(new SQLException("permission denied for table x", "42501")).reason())
                .isEqualTo("PRIVILEGE_MISSING");
        SQLException h2Rights = new SQLException("Not enough rights for object \"PUBLIC.T\"", "90096", 90096);
        assertThat(SqlErrors.diagnose(h2Rights).reason()).isEqualTo("PRIVILEGE_MISSING");
        assertThat(SqlErrors.classify(h2Rights)).as("not retried as if the database were away")
                .isEqualTo(FailureKind.REFUSED_SETTINGS);
        SQLException postgresPassword = new SQLException("password authentication failed for user \"w\"", "28P01");
        assertThat(SqlErrors.isAuthentication(postgresPassword)).isTrue();
        assertThat(SqlErrors.diagnose(postgresPassword).reason()).isEqualTo("CREDENTIALS_REFUSED");
    }

    /** PostgreSQL's SQLSTATEs, as its driver raises them, against the reason codes Oracle's errors get. */
    @ParameterizedTest
    @CsvSource({
            "28P01, password authentication failed for user \"w\", REFUSED_CREDENTIALS, CREDENTIALS_REFUSED",
            "42P01, relation \"x\" does not exist, REFUSED_SETTINGS, TABLE_MISSING",
            "42703, column \"num_value\" does not exist, REFUSED_SETTINGS, COLUMN_MISSING",
            "42501, permission denied for table x, REFUSED_SETTINGS, PRIVILEGE_MISSING",
            "3D000, database \"x\" does not exist, REFUSED_SETTINGS, DATABASE_UNKNOWN",
            "53100, could not extend file: No space left on device, REFUSED_SETTINGS, DISK_FULL",
            "57P01, terminating connection due to administrator command, TRANSIENT, DATABASE_UNAVAILABLE",
            "08006, An I/O error occurred while sending to the backend., TRANSIENT, DATABASE_UNAVAILABLE",
            "23505, duplicate key value violates unique constraint, BAD_DATA, BAD_ROWS",
    })
    void postgresqlStatesGetTheReasonCodesOfOracles(String state, String message, FailureKind kind, String reason) {
        SQLException e = new SQLException(message, state);

        assertThat(SqlErrors.failure(e).kind()).isEqualTo(kind);
        assertThat(SqlErrors.failure(e).diagnosis().reason()).isEqualTo(reason);
    }

    @Test
    void aDatabaseWithoutADialectWaitsForItsBundleNamingIt() {
        Dialects.Missing missing = new Dialects.Missing("PostgreSQL");

        assertThat(SqlErrors.failure(missing).kind()).isEqualTo(FailureKind.TRANSIENT);
        assertThat(SqlErrors.failure(missing).diagnosis().reason()).isEqualTo("DIALECT_MISSING");
        assertThat(SqlErrors.failure(missing).diagnosis().advice()).contains("io.tagbridge.sink-postgresql");
    }
}
