package io.tagbridge.testkit;

import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when the machine lacks something it needs (LazyFS, root, /dev/fuse): by default it is skipped,
 * as a JUnit assumption, with a message that says how to get it; with {@code -D<property>=true} it fails instead, so
 * that a CI which is meant to run it cannot pass by skipping it.
 */
public final class Requirement {

    private Requirement() {
    }

    /** Whether the system property is {@code true}. */
    public static boolean required(String property) {
        return Boolean.parseBoolean(System.getProperty(property, "false").trim());
    }

    /**
     * Skips the calling test (or fails it, when {@code property} is {@code true}) because {@code what} is missing.
     * Never returns normally.
     *
     * @param property the system property that makes the requirement compulsory
     * @param what     what is missing and why, in words
     * @param how      how to get it
     */
    public static AssertionError unmet(String property, String what, String how) {
        String message = what + ". " + how;
        if (required(property)) {
            throw new AssertionError(message + " (" + property + "=true: the test must run, so it fails)");
        }
        Assumptions.abort(message + " (skipped; -D" + property + "=true makes this a failure)");
        return new AssertionError(message); // not reached: abort throws
    }
}
