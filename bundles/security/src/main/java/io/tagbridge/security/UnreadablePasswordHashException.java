package io.tagbridge.security;

import java.nio.file.Path;

/**
 * The generated password's hash is damaged and its clear file is gone: the password that logged in until now
 * cannot be known again, and making a new one over it would change the login without anyone asking. Nobody logs
 * in until the operator chooses, as the message says.
 */
final class UnreadablePasswordHashException extends Exception {

    private static final long serialVersionUID = 1L;

    UnreadablePasswordHashException(Path hashFile, Path clearFile, Exception cause) {
        super("the generated password's hash " + hashFile + " cannot be read (" + cause.getMessage() + ") and "
                + clearFile + " is gone, so nobody can log in. Set a password of at least "
                + GatekeeperComponent.MINIMUM_LENGTH + " characters (password= in etc/io.tagbridge.security.cfg), "
                + "or delete " + hashFile + " and restart the gateway to generate a new password into " + clearFile, cause);
    }
}
