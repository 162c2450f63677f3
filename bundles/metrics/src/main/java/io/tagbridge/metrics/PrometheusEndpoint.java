package io.tagbridge.metrics;

import java.util.Map;
import java.util.function.Supplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.monitor.MetricsSnapshot;
import io.tagbridge.api.security.Gatekeeper;

/**
 * Publishes GET /metrics on the gateway's web server, where there is a Jakarta Servlet API. A gateway without one
 * (Eclipse Kura 5 serves javax servlets) still gets metrics and health as services: the import is optional, and
 * nothing that names a servlet class is loaded there.
 */
final class PrometheusEndpoint {

    /** Where Prometheus scrapes, on the gateway's port. */
    static final String PATH = "/metrics";
    private static final Logger LOG = LoggerFactory.getLogger(PrometheusEndpoint.class);

    private PrometheusEndpoint() {
    }

    /** @return the servlet's registration, or null without a Jakarta Servlet API */
    static ServiceRegistration<?> register(BundleContext context, Supplier<MetricsSnapshot> metrics,
            Supplier<Map<String, Latencies>> latencies, Supplier<Gatekeeper> gatekeeper) {
        try {
            Class.forName("jakarta.servlet.Servlet", false, PrometheusEndpoint.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError none) {
            LOG.info("No Jakarta Servlet API on this gateway: GET {} for Prometheus is off; metrics and health stay "
                    + "available as the PipelineMonitor service", PATH);
            return null;
        }
        return Registration.of(context, new PrometheusServlet(metrics, latencies, gatekeeper));
    }

    /** Apart, so that its servlet types are only loaded once the API is known to be there. */
    private static final class Registration {
        static ServiceRegistration<?> of(BundleContext context, PrometheusServlet servlet) {
            return context.registerService(jakarta.servlet.Servlet.class, servlet, FrameworkUtil.asDictionary(Map.of(
                    "osgi.http.whiteboard.servlet.pattern", PATH,
                    "osgi.http.whiteboard.servlet.name", "tagbridge-prometheus")));
        }
    }
}
