package io.tagbridge.rest;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jakarta REST whiteboard (Eclipse OSGi Technology, Jersey) publishes nothing until it is configured with
 * the path its servlet serves. This puts it at /api, unless an operator configured it already, so that
 * installing this bundle is all it takes to get the endpoints. Before that, it keeps Jersey's meaningless start-up
 * warnings out of the log ({@link QuietJersey}).
 */
@Component
public class WhiteboardRuntimeSetup {

    static final String RUNTIME_PID = "JakartarsServletWhiteboardRuntimeComponent";
    static final String CONTEXT_PATH = "/api";

    private static final Logger LOG = LoggerFactory.getLogger(WhiteboardRuntimeSetup.class);

    @Activate
    public WhiteboardRuntimeSetup(@Reference ConfigurationAdmin configurationAdmin) {
        QuietJersey.quiet();
        try {
            Configuration runtime = configurationAdmin.getConfiguration(RUNTIME_PID, "?");
            if (runtime.getProperties() == null) {
                Dictionary<String, Object> properties = new Hashtable<>();
                properties.put("jersey.context.path", CONTEXT_PATH);
                runtime.update(properties);
            }
        } catch (IOException e) {
            LOG.error("Could not configure the REST whiteboard at {}: {}. Create configuration {} with "
                    + "jersey.context.path={} by hand", CONTEXT_PATH, e.getMessage(), RUNTIME_PID, CONTEXT_PATH);
        }
    }
}
