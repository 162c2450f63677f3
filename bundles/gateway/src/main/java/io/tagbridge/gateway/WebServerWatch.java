package io.tagbridge.gateway;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts the web server when it lost its whiteboard at start. Felix HTTP fails to initialize when a servlet or
 * filter goes away just as it opens its trackers (a NullPointerException in its WhiteboardManager, logged as
 * "Exception while initializing Jetty"): it then answers 404 to every request, REST and console included, until it
 * is restarted. Seen once in many starts; values keep flowing meanwhile, but the operator is locked out. This looks
 * every {@value #CHECK_SECONDS} s for whiteboard servlets the running web server neither serves nor lists as
 * failed, and when the same ones stay unknown at the next look, restarts the web server's bundle, at most once
 * every {@value #RESTART_PAUSE_MINUTES} minutes.
 */
@Component
public class WebServerWatch {

    static final int CHECK_SECONDS = 10;
    static final int RESTART_PAUSE_MINUTES = 5;
    /** By name: this bundle has no need of the servlet API itself. */
    private static final String SERVLET = "jakarta.servlet.Servlet";

    private static final Logger LOG = LoggerFactory.getLogger(WebServerWatch.class);

    private final BundleContext context;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tagbridge-web-server-watch");
        t.setDaemon(true);
        return t;
    });
    private volatile ServiceReference<HttpServiceRuntime> runtimeReference;
    private volatile HttpServiceRuntime runtime;
    private Set<Long> unknownBefore = Set.of();
    /** When the web server was last restarted (System.nanoTime); null before the first time. */
    private Long lastRestart;

    @Activate
    public WebServerWatch(BundleContext context) {
        this.context = context;
        timer.scheduleWithFixedDelay(this::look, CHECK_SECONDS, CHECK_SECONDS, TimeUnit.SECONDS);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindRuntime(HttpServiceRuntime bound, ServiceReference<HttpServiceRuntime> reference) {
        runtime = bound;
        runtimeReference = reference;
    }

    void unbindRuntime(HttpServiceRuntime unbound) {
        if (runtime == unbound) {
            runtime = null;
            runtimeReference = null;
        }
    }

    private void look() {
        try {
            HttpServiceRuntime current = runtime;
            ServiceReference<HttpServiceRuntime> reference = runtimeReference;
            if (current == null || reference == null) {
                unknownBefore = Set.of();
                return;
            }
            Set<Long> unknown = UnservedServlets.of(whiteboardServlets(reference), current.getRuntimeDTO());
            Set<Long> stillUnknown = new HashSet<>(unknown);
            stillUnknown.retainAll(unknownBefore);
            unknownBefore = unknown;
            if (!stillUnknown.isEmpty() && restartAllowed()) {
                restart(reference, stillUnknown);
            }
        } catch (RuntimeException e) { // NOPMD: the watch must keep looking whatever a look met
            LOG.debug("Web server watch: {}", e.toString());
        }
    }

    private boolean restartAllowed() {
        return lastRestart == null
                || System.nanoTime() - lastRestart > TimeUnit.MINUTES.toNanos(RESTART_PAUSE_MINUTES);
    }

    /** The ids of the servlets registered for the whiteboard this runtime serves. */
    private Set<Long> whiteboardServlets(ServiceReference<HttpServiceRuntime> runtimeRef) {
        ServiceReference<?>[] found;
        try {
            found = context.getAllServiceReferences(SERVLET,
                    "(" + HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=*)");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (found == null) {
            return Set.of();
        }
        return Arrays.stream(found).filter(s -> servedBy(s, runtimeRef))
                .map(s -> (Long) s.getProperty(Constants.SERVICE_ID)).collect(Collectors.toSet());
    }

    private static boolean servedBy(ServiceReference<?> servlet, ServiceReference<HttpServiceRuntime> runtimeRef) {
        Object target = servlet.getProperty(HttpWhiteboardConstants.HTTP_WHITEBOARD_TARGET);
        try {
            return target == null || FrameworkUtil.createFilter(target.toString()).match(runtimeRef);
        } catch (InvalidSyntaxException e) {
            return false;
        }
    }

    private void restart(ServiceReference<HttpServiceRuntime> reference, Set<Long> unknown) {
        Bundle web = reference.getBundle();
        if (web == null) {
            return;
        }
        lastRestart = System.nanoTime();
        LOG.warn("The web server ({}) does not serve the whiteboard servlets {} registered with it: it lost them at "
                + "start (a start-up race in Felix HTTP). Restarting it; REST and the console answer again within "
                + "seconds", web.getSymbolicName(), unknown);
        try {
            web.stop(Bundle.STOP_TRANSIENT);
            web.start(Bundle.START_TRANSIENT);
        } catch (BundleException e) {
            LOG.error("Could not restart the web server ({}): {}. Restart the gateway to reach REST and the console "
                    + "again", web.getSymbolicName(), e.getMessage());
        }
    }

    @Deactivate
    void stop() {
        timer.shutdownNow();
    }
}
