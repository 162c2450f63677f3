package io.tagbridge.commands;

/** A command could not do its job; the message says why and what to check. */
final class CommandException extends Exception {

    private static final long serialVersionUID = 1L;

    CommandException(String message) {
        super(message);
    }
}
