package io.tagbridge.writer;

import java.sql.SQLException;

/** Turns a driver's exception into one line an operator can read. */
final class SqlErrors {

    private SqlErrors() {
    }

    static String describe(Throwable e) {
        if (e instanceof SQLException sql) {
            String message = sql.getMessage() == null ? "" : sql.getMessage().strip();
            int newline = message.indexOf('\n');
            if (newline > 0) {
                message = message.substring(0, newline);
            }
            return message + " (SQLState " + sql.getSQLState() + ", vendor code " + sql.getErrorCode() + ")";
        }
        return String.valueOf(e);
    }
}
