package io.tagbridge.backup;

/** An operator named a backup file that does not exist, or one the request cannot apply to. */
final class UnknownFileException extends Exception {

    private static final long serialVersionUID = 1L;

    UnknownFileException(String message) {
        super(message);
    }
}
