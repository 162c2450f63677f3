package io.tagbridge.rest;

import java.util.function.Supplier;

import io.tagbridge.api.security.Access;
import io.tagbridge.api.security.Gatekeeper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Response;

/** Who may go through: anyone may read metrics and health unless the operator says otherwise; changes need the login. */
final class Doors {

    private final Supplier<Gatekeeper> gatekeepers;

    Doors(Supplier<Gatekeeper> gatekeepers) {
        this.gatekeepers = gatekeepers;
    }

    /** @return the refusal to answer with, or null when the caller may read */
    Response forReading(HttpServletRequest request) {
        Gatekeeper gatekeeper = gatekeepers.get();
        return gatekeeper != null && !gatekeeper.monitoringNeedsCredentials() ? null : forChanging(request);
    }

    /** @return the refusal to answer with, or null when the caller has logged in */
    Response forChanging(HttpServletRequest request) {
        Gatekeeper gatekeeper = gatekeepers.get();
        if (gatekeeper == null) {
            return Response.status(503).header("Retry-After", "5").entity(Json.error("the gateway's login is not "
                    + "running: check that bundle io.tagbridge.security is active and configuration "
                    + "io.tagbridge.security exists")).build();
        }
        String client = request.getRemoteAddr();
        return switch (gatekeeper.checkHeader(request.getHeader("Authorization"), client)) {
            case GRANTED -> null;
            case THROTTLED -> Response.status(429)
                    .header("Retry-After", gatekeeper.retryAfterSeconds(client))
                    .entity(Json.error("too many wrong logins from " + client + "; wait and try again")).build();
            case DENIED -> Response.status(401)
                    .header("WWW-Authenticate", "Basic realm=\"" + Gatekeeper.REALM + "\", charset=\"UTF-8\"")
                    .entity(Json.error("log in with the gateway's username and password (HTTP Basic); see "
                            + "Tagbridge Security, or initial-admin-password in the data directory on a new "
                            + "gateway")).build();
        };
    }

    /** Whether the caller sent the right login, for answers that show more to those who did. */
    boolean signedIn(HttpServletRequest request) {
        Gatekeeper gatekeeper = gatekeepers.get();
        return gatekeeper != null && gatekeeper.checkHeader(request.getHeader("Authorization"),
                request.getRemoteAddr()) == Access.GRANTED;
    }
}
