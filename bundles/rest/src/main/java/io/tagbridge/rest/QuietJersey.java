package io.tagbridge.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps Jersey's start-up warnings that mean nothing on a gateway out of its log, where an operator would take them
 * for trouble: WADL needs a JAXB implementation, which a gateway does without, and Jersey's servlet container
 * registers helpers of its own (and each resource the whiteboard hands it) as providers, then warns that they fit
 * no provider interface. Jersey logs through java.util.logging, so the levels of those two loggers are raised
 * before the whiteboard starts Jersey.
 */
final class QuietJersey {

    /** java.util.logging holds loggers weakly: a level set on one nobody references is forgotten. */
    private static final List<Logger> QUIETED = new ArrayList<>();

    private QuietJersey() {
    }

    static synchronized void quiet() {
        if (!QUIETED.isEmpty()) {
            return;
        }
        for (String name : List.of("org.glassfish.jersey.server.wadl.WadlFeature",
                "org.glassfish.jersey.internal.inject.Providers")) {
            Logger logger = Logger.getLogger(name);
            logger.setLevel(Level.SEVERE);
            QUIETED.add(logger);
        }
    }
}
