package io.tagbridge.metrics;

import java.io.IOException;
import java.util.Map;
import java.util.function.Supplier;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.tagbridge.api.monitor.MetricsSnapshot;
import io.tagbridge.api.security.Access;
import io.tagbridge.api.security.Gatekeeper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * GET /metrics in the Prometheus text format, on the gateway's port. Readable without the login unless the
 * operator switched monitoring to need it, as the REST metrics are.
 */
final class PrometheusServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Supplier<MetricsSnapshot> metrics;
    private final transient Supplier<Map<String, Latencies>> latencies;
    private final transient Supplier<Gatekeeper> gatekeeper;
    private final transient PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    PrometheusServlet(Supplier<MetricsSnapshot> metrics, Supplier<Map<String, Latencies>> latencies,
            Supplier<Gatekeeper> gatekeeper) {
        this.metrics = metrics;
        this.latencies = latencies;
        this.gatekeeper = gatekeeper;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Gatekeeper login = gatekeeper.get();
        if (login == null) {
            response.sendError(503, "the gateway's login is not running: check that bundle io.tagbridge.security is "
                    + "active");
            return;
        }
        if (login.monitoringNeedsCredentials()) {
            Access access = login.checkHeader(request.getHeader("Authorization"), request.getRemoteAddr());
            if (access != Access.GRANTED) {
                response.setHeader("WWW-Authenticate", "Basic realm=\"" + Gatekeeper.REALM + "\"");
                response.sendError(access == Access.THROTTLED ? 429 : 401);
                return;
            }
        }
        response.setContentType(PrometheusTextFormatWriter.CONTENT_TYPE);
        writer.write(response.getOutputStream(), PrometheusExposition.of(metrics.get(), latencies.get()),
                EscapingScheme.UNDERSCORE_ESCAPING);
    }
}
