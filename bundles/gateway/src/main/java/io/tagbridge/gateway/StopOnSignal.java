package io.tagbridge.gateway;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the framework, and so every bundle in order, when the JVM is asked to exit (SIGTERM, Ctrl-C). Without
 * it the launcher lets the JVM end with the framework still running: the journal would not write its ledger (it
 * would count again at the next start), and with the journal off what is buffered would be lost. The JVM waits
 * for the stop up to {@value #STOP_WAIT_MILLIS} ms.
 */
@Component
public class StopOnSignal {

    static final long STOP_WAIT_MILLIS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(StopOnSignal.class);

    private final Thread hook;

    @Activate
    public StopOnSignal(BundleContext context) {
        Framework framework = (Framework) context.getBundle(0);
        Thread stopper = new Thread(() -> stop(framework), "tagbridge-stop-on-signal");
        try {
            Runtime.getRuntime().addShutdownHook(stopper);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The JVM exits already (the data directory is in use): it ends the framework with it.
            stopper = null;
        }
        hook = stopper;
    }

    @Deactivate
    void deactivate() {
        if (hook == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is what stops us: it must stay.
        }
    }

    private static void stop(Framework framework) {
        LOG.info("Stop requested: stopping the gateway; what the writers have not written stays in the journal");
        try {
            framework.stop();
            framework.waitForStop(STOP_WAIT_MILLIS);
        } catch (BundleException e) {
            LOG.error("The gateway did not stop cleanly: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
