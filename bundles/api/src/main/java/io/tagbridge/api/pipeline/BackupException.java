package io.tagbridge.api.pipeline;

/** A batch could not be backed up; the message says what to fix. */
public class BackupException extends Exception {

    private static final long serialVersionUID = 1L;

    public BackupException(String message, Throwable cause) {
        super(message, cause);
    }
}
