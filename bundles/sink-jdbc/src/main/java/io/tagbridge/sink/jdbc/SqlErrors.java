package io.tagbridge.sink.jdbc;

import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTransientException;
import java.util.Map;
import java.util.Set;

import io.tagbridge.api.pipeline.Diagnosis;
import io.tagbridge.api.sink.FailureKind;
import io.tagbridge.api.sink.SinkFailure;

/**
 * Classifies what the driver threw, and says it in one line an operator can act on.
 *
 * <p>Oracle's vendor codes decide first, since they are the most precise; then the SQLState class; then the JDBC
 * exception subclass. The whole chain is searched (causes, and the next exceptions of a batch failure), because
 * UCP and the batch API wrap the database's own error. Anything not recognised is treated as transient: retrying
 * and then backing up never loses a value.
 */
final class SqlErrors {

    /** What a known failure means: its reason code for machines, and what to do for the operator. */
    record Advice(String reason, String text) {
    }

    private static final Advice NOTHING_LISTENS = new Advice("NO_LISTENER", "nothing listens at that host and port: "
            + "check host and port (or url), and that the database listener is running");
    private static final Advice UNKNOWN_HOST = new Advice("UNKNOWN_HOST", "the host name cannot be resolved: check "
            + "host (or url) and the gateway's DNS");
    private static final Advice UNREACHABLE = new Advice("HOST_UNREACHABLE", "the host cannot be reached: check host "
            + "(or url), the network and firewalls between gateway and database");
    private static final Advice TIMED_OUT = new Advice("CONNECT_TIMEOUT", "the connection timed out: check host and "
            + "port (or url), firewalls that drop packets, and connectTimeoutSeconds");
    private static final Advice TLS = new Advice("TLS_FAILED", "the TLS handshake failed: check that the url uses "
            + "tcps, and trustStore (or walletLocation) and its password");
    private static final Advice LOCKED = new Advice("ACCOUNT_LOCKED", "the account is locked: ask the DBA to unlock "
            + "it, then save the pool configuration again");
    private static final Advice CREDENTIALS = new Advice("CREDENTIALS_REFUSED", "the database refused the "
            + "credentials: fix username and password of the pool; Tagbridge does not retry them, as retrying can "
            + "lock the account");
    private static final Advice UNAVAILABLE = new Advice("DATABASE_UNAVAILABLE", "the database did not take the "
            + "batch: check that it is up and reachable; the error says more");
    private static final Advice SETTINGS = new Advice("SETTINGS_REFUSED", "the database refuses the writer's "
            + "settings: the error says which; fix the pool or writer configuration");
    private static final Advice BAD_ROWS = new Advice("BAD_ROWS", "the database refused rows as bad data; they go "
            + "to backup files with its error");

    private static final Set<Integer> AUTHENTICATION = Set.of(
            1017, // invalid username/password
            28000, // account locked
            28001, // password expired
            1045); // user lacks CREATE SESSION

    private static final Advice TABLE_MISSING = new Advice("TABLE_MISSING", "the table does not exist or the user "
            + "may not see it: check tableName and grants");
    private static final Advice COLUMN_MISSING = new Advice("COLUMN_MISSING", "the table lacks a column the writer "
            + "fills: check the table against README, The table");
    private static final Advice PRIVILEGE_MISSING = new Advice("PRIVILEGE_MISSING", "the user lacks a privilege on "
            + "the table: GRANT INSERT (and CREATE TABLE) to it");
    private static final Advice WALLET = new Advice("WALLET_UNREADABLE", "the wallet or trust store file cannot be "
            + "opened: check walletLocation or trustStore");

    private static final Advice DIALECT_MISSING = new Advice("DIALECT_MISSING", "the sink has no SQL dialect for "
            + "this kind of database: install its bundle (PostgreSQL: io.tagbridge.sink-postgresql); values wait "
            + "meanwhile");

    private static final Map<Integer, Advice> REFUSED_SETTINGS = Map.ofEntries(
            Map.entry(942, TABLE_MISSING),
            Map.entry(904, COLUMN_MISSING),
            Map.entry(1031, PRIVILEGE_MISSING),
            Map.entry(1950, new Advice("NO_QUOTA", "the user has no quota on the tablespace: ask the DBA for a "
                    + "quota")),
            Map.entry(1653, new Advice("TABLESPACE_FULL", "the tablespace is full: ask the DBA to add space")),
            Map.entry(1688, new Advice("TABLESPACE_FULL", "the tablespace is full: ask the DBA to add space")),
            Map.entry(12514, new Advice("SERVICE_UNKNOWN", "the listener does not know the service name: check "
                    + "serviceName or url")),
            Map.entry(12505, new Advice("SERVICE_UNKNOWN", "the listener does not know the SID: use the service "
                    + "name in serviceName or url")),
            Map.entry(12154, new Advice("CONNECT_IDENTIFIER_UNKNOWN", "the connect identifier cannot be resolved: "
                    + "check url (and TNS_ADMIN)")),
            // ojdbc11 23: the wallet cannot be found or read, the key store or trust store cannot be opened
            Map.entry(17956, WALLET),
            Map.entry(17957, WALLET),
            Map.entry(17958, WALLET));

    /**
     * The same refusals from databases that say them in the SQLState, not in an Oracle code: H2 (the embedded
     * default) and PostgreSQL use the standard's states; H2 gives its own code as the state for a missing right.
     */
    private static final Map<String, Advice> REFUSED_SETTINGS_BY_STATE = Map.ofEntries(
            Map.entry("42S02", TABLE_MISSING), // H2, SQL standard
            Map.entry("42P01", TABLE_MISSING), // PostgreSQL: undefined_table
            Map.entry("42S22", COLUMN_MISSING), // H2, SQL standard
            Map.entry("42703", COLUMN_MISSING), // PostgreSQL: undefined_column
            Map.entry("42501", PRIVILEGE_MISSING), // PostgreSQL, SQL standard: insufficient_privilege
            Map.entry("90096", PRIVILEGE_MISSING), // H2: not enough rights for object
            Map.entry("28P01", CREDENTIALS), // PostgreSQL: invalid_password
            Map.entry("28000", CREDENTIALS), // PostgreSQL, SQL standard: invalid_authorization_specification
            Map.entry("3D000", new Advice("DATABASE_UNKNOWN", "the database named in the url does not exist: check "
                    + "url")), // PostgreSQL: invalid_catalog_name
            Map.entry("53100", new Advice("DISK_FULL", "the database server's disk is full: ask the DBA to add "
                    + "space"))); // PostgreSQL: disk_full

    /** What to check when a connection cannot be made; these failures are transient, retrying may help. */
    private static final Map<Integer, Advice> CONNECTION_ADVICE = Map.ofEntries(
            Map.entry(12541, NOTHING_LISTENS),
            Map.entry(17868, UNKNOWN_HOST),
            Map.entry(12543, UNREACHABLE),
            Map.entry(12170, TIMED_OUT),
            Map.entry(29024, TLS),
            Map.entry(29003, TLS),
            Map.entry(28860, TLS),
            Map.entry(28759, WALLET),
            Map.entry(90020, new Advice("EMBEDDED_DATABASE_IN_USE", "the embedded database is open in another "
                    + "process, most likely a running gateway: stop it, or run the check in its shell "
                    + "(tagbridge:testconnection)")));

    private static final Set<Integer> BAD_DATA = Set.of(
            1, // unique constraint violated
            1400, // cannot insert NULL
            1438, // value larger than the column's precision
            12899, // value too large for column
            1722, // invalid number
            1861, 1830, 1840, 1841, 1847, // date and time conversions
            2290, // check constraint violated
            2291, // parent key not found
            1461); // LONG value bound into a column that is not LONG

    private static final Set<Integer> TRANSIENT = Set.of(
            60, // deadlock
            18, 20, // maximum sessions or processes exceeded
            51, // timeout waiting for a resource
            1013, // call cancelled or timed out
            3113, 3114, 3135, // connection lost
            12170, 12537, 12541, 12543, 12571, // network: timeout, closed, no listener, unreachable
            17002, 17008, 17410, 17447, // IO error, closed connection, no more data, outbound timeout
            25408, // cannot safely replay call
            30006, // resource busy
            17868); // unknown host: ojdbc11 23 gives it SQLState 22000, which would otherwise mean bad data

    private SqlErrors() {
    }

    static FailureKind classify(Throwable failure) {
        FailureKind byState = null;
        FailureKind byType = null;
        for (SQLException e : chain(failure)) {
            int code = e.getErrorCode();
            if (AUTHENTICATION.contains(code) || REFUSED_SETTINGS.containsKey(code)
                    || refusedByState(e) != null) {
                return FailureKind.REFUSED_SETTINGS;
            }
            if (BAD_DATA.contains(code)) {
                return FailureKind.BAD_DATA;
            }
            if (TRANSIENT.contains(code)) {
                return FailureKind.TRANSIENT;
            }
            if (byState == null) {
                byState = byState(e.getSQLState());
            }
            if (byType == null) {
                byType = byType(e);
            }
        }
        return byState != null ? byState : byType != null ? byType : FailureKind.TRANSIENT;
    }

    /**
     * Whether the primary key (or another unique key) refused a row: ORA-00001, or SQLState 23505 (H2, the SQL
     * standard). The batch met a row stored before, which the duplicate-safe way handles.
     */
    static boolean isDuplicateKey(Throwable failure) {
        for (SQLException e : chain(failure)) {
            if (e.getErrorCode() == 1 && "23000".equals(e.getSQLState()) || "23505".equals(e.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** Whether retrying could lock the database account: such a failure is never retried automatically. */
    static boolean isAuthentication(Throwable failure) {
        for (SQLException e : chain(failure)) {
            String state = e.getSQLState();
            if (AUTHENTICATION.contains(e.getErrorCode()) || state != null && state.startsWith("28")
                    || e instanceof SQLInvalidAuthorizationSpecException) {
                return true;
            }
        }
        return false;
    }

    /** The failure as the engine needs it; refused credentials are told apart, as retrying them can lock the account. */
    static SinkFailure failure(Throwable failure) {
        FailureKind kind = classify(failure);
        if (kind == FailureKind.REFUSED_SETTINGS && isAuthentication(failure)) {
            kind = FailureKind.REFUSED_CREDENTIALS;
        }
        return new SinkFailure(kind, diagnose(failure), describe(failure));
    }

    /** One line for the log: the database's own message with its codes, and what to do when the code is known. */
    static String describe(Throwable failure) {
        Diagnosis diagnosis = diagnose(failure);
        Advice known = knownAdvice(failure);
        return diagnosis.error() + (known == null ? "" : ": " + known.text());
    }

    /**
     * The failure as health shows it: a reason code and advice that name no host, URL or user, and the driver's
     * message (which may) apart.
     */
    static Diagnosis diagnose(Throwable failure) {
        Advice known = knownAdvice(failure);
        Advice advice = known != null ? known : switch (classify(failure)) {
            case TRANSIENT -> UNAVAILABLE;
            case BAD_DATA -> BAD_ROWS;
            case REFUSED_SETTINGS, REFUSED_CREDENTIALS -> SETTINGS;
        };
        return new Diagnosis(advice.reason(), advice.text(), error(failure));
    }

    /** The driver's message of the most telling SQL error in the chain, with its codes. */
    private static String error(Throwable failure) {
        java.util.List<SQLException> chain = chain(failure);
        if (chain.isEmpty()) {
            return String.valueOf(failure);
        }
        SQLException root = root(chain);
        SQLException innermost = chain.get(chain.size() - 1);
        // A pool's own error ("UCP-0: Unable to start ...") says little; the database's, inside it, says why.
        return withCodes(root) + (root == chain.get(0) && innermost != root ? ": " + withCodes(innermost) : "");
    }

    private static String withCodes(SQLException e) {
        return firstLine(e.getMessage()) + " (SQLState " + e.getSQLState() + ", vendor code " + e.getErrorCode() + ")";
    }

    private static SQLException root(java.util.List<SQLException> chain) {
        return chain.stream().filter(e -> isKnown(e.getErrorCode()) || refusedByState(e) != null).findFirst()
                .orElse(chain.get(0));
    }

    private static Advice knownAdvice(Throwable failure) {
        if (failure instanceof Dialects.Missing) {
            return DIALECT_MISSING;
        }
        java.util.List<SQLException> chain = chain(failure);
        if (chain.isEmpty()) {
            return adviceByCause(failure);
        }
        return advice(failure, root(chain));
    }

    private static Advice refusedByState(SQLException e) {
        return e.getSQLState() == null ? null : REFUSED_SETTINGS_BY_STATE.get(e.getSQLState());
    }

    private static boolean isKnown(int code) {
        return AUTHENTICATION.contains(code) || REFUSED_SETTINGS.containsKey(code) || BAD_DATA.contains(code)
                || TRANSIENT.contains(code) || CONNECTION_ADVICE.containsKey(code);
    }

    private static Advice advice(Throwable failure, SQLException root) {
        if (String.valueOf(root.getMessage()).startsWith("ORA-28000")) {
            return LOCKED;
        }
        if (isAuthentication(failure)) {
            return CREDENTIALS;
        }
        Advice known = REFUSED_SETTINGS.getOrDefault(root.getErrorCode(), CONNECTION_ADVICE.get(root.getErrorCode()));
        if (known == null) {
            known = refusedByState(root);
        }
        return known != null ? known : adviceByCause(failure);
    }

    /** The Java exceptions under a driver's error say what went wrong on the network when no code does. */
    private static Advice adviceByCause(Throwable failure) {
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return TLS;
            }
            if (t instanceof java.net.UnknownHostException) {
                return UNKNOWN_HOST;
            }
            if (t instanceof java.net.SocketTimeoutException) {
                return TIMED_OUT;
            }
            if (t instanceof java.net.ConnectException) {
                return NOTHING_LISTENS;
            }
            if (t instanceof java.net.NoRouteToHostException) {
                return UNREACHABLE;
            }
        }
        return null;
    }

    private static FailureKind byState(String state) {
        if (state == null || state.length() < 2) {
            return null;
        }
        return switch (state.substring(0, 2)) {
            case "08" -> FailureKind.TRANSIENT;
            case "22", "23" -> FailureKind.BAD_DATA;
            case "28", "42" -> FailureKind.REFUSED_SETTINGS;
            case "40" -> FailureKind.TRANSIENT;
            default -> null;
        };
    }

    private static FailureKind byType(SQLException e) {
        if (e instanceof SQLIntegrityConstraintViolationException || e instanceof SQLDataException) {
            return FailureKind.BAD_DATA;
        }
        if (e instanceof SQLInvalidAuthorizationSpecException || e instanceof SQLSyntaxErrorException) {
            return FailureKind.REFUSED_SETTINGS;
        }
        if (e instanceof SQLTransientException || e instanceof SQLRecoverableException
                || e instanceof SQLNonTransientConnectionException) {
            return FailureKind.TRANSIENT;
        }
        return null;
    }

    /** The SQL exceptions in a failure: itself, its causes and each one's next exceptions, outermost first. */
    private static java.util.List<SQLException> chain(Throwable failure) {
        java.util.List<SQLException> found = new java.util.ArrayList<>();
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.ArrayDeque<Throwable> todo = new java.util.ArrayDeque<>();
        todo.add(failure);
        while (!todo.isEmpty() && found.size() < 20) {
            Throwable t = todo.poll();
            if (t == null || !seen.add(t)) {
                continue;
            }
            if (t instanceof SQLException sql) {
                found.add(sql);
                if (sql.getNextException() != null) {
                    todo.add(sql.getNextException());
                }
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
        }
        return found;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String m = message.strip();
        int newline = m.indexOf('\n');
        return newline > 0 ? m.substring(0, newline) : m;
    }
}
