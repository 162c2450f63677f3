package io.tagbridge.pool;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.slf4j.LoggerFactory;

/**
 * UCP logs through java.util.logging, with a stack trace for every connection it fails to open or close: during an
 * outage that was thousands of lines a minute, for failures the writers already report once, classified and with
 * advice. While a pool runs, UCP's records go to the gateway's log instead: its warnings as one line at DEBUG with
 * the trace, its severe errors as one line at WARN (the trace at DEBUG).
 */
final class UcpLog extends Handler {

    private static final String UCP = "oracle.ucp";
    /** Held strongly: java.util.logging keeps loggers only weakly, and would forget the settings. */
    private static final Logger JUL = Logger.getLogger(UCP);
    private static final UcpLog HANDLER = new UcpLog();
    private static int pools;

    private UcpLog() {
    }

    /** A pool starts: UCP's records go to the gateway's log. */
    static synchronized void install() {
        if (pools++ == 0) {
            JUL.setUseParentHandlers(false);
            JUL.addHandler(HANDLER);
        }
    }

    /** A pool stops; with the last one, UCP's logging is as it was. */
    static synchronized void uninstall() {
        if (pools > 0 && --pools == 0) {
            JUL.removeHandler(HANDLER);
            JUL.setUseParentHandlers(true);
        }
    }

    @Override
    public void publish(LogRecord record) {
        org.slf4j.Logger log = LoggerFactory.getLogger(record.getLoggerName() == null ? UCP : record.getLoggerName());
        String message = record.getMessage() == null || record.getMessage().isBlank() ? "" : record.getMessage();
        Throwable thrown = record.getThrown();
        String line = thrown == null ? message : (message.isEmpty() ? "" : message + ": ") + thrown;
        if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
            log.warn("UCP: {}", line);
            log.debug("UCP: {}", message, thrown);
        } else if (log.isDebugEnabled()) {
            log.debug("UCP: {}", message, thrown);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
