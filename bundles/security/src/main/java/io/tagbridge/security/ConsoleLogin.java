package io.tagbridge.security;

import org.apache.felix.webconsole.spi.SecurityProvider;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import io.tagbridge.api.security.Access;
import io.tagbridge.api.security.Gatekeeper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The web console's login is the gateway's: the console's own admin/admin never opens it. The gateway names
 * this provider in felix.webconsole.security.providers, so the console stays closed while it is missing.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE,
        property = SecurityProvider.PROPERTY_ID + "=" + ConsoleLogin.ID)
public class ConsoleLogin implements SecurityProvider {

    static final String ID = "tagbridge";

    private final Gatekeeper gatekeeper;

    @Activate
    public ConsoleLogin(@Reference Gatekeeper gatekeeper) {
        this.gatekeeper = gatekeeper;
    }

    @Override
    public Object authenticate(HttpServletRequest request, HttpServletResponse response) {
        String client = request.getRemoteAddr();
        Access access = gatekeeper.checkHeader(request.getHeader("Authorization"), client);
        if (access == Access.GRANTED) {
            return ID;
        }
        if (access == Access.THROTTLED) {
            response.setStatus(429);
            response.setHeader("Retry-After", String.valueOf(gatekeeper.retryAfterSeconds(client)));
        } else {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setHeader("WWW-Authenticate", "Basic realm=\"" + Gatekeeper.REALM + "\", charset=\"UTF-8\"");
        }
        return null;
    }

    @Override
    public boolean authorize(Object user, String role) {
        return ID.equals(user);
    }

    @Override
    public void logout(HttpServletRequest request, HttpServletResponse response) {
        // Basic authentication has no session to end: the browser forgets the credentials when it closes.
    }
}
