package io.tagbridge.api.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Checks the gateway's credentials for the web console and for every REST call that changes something. An
 * implementation keeps no clear password, never logs one, and answers quickly for a caller it has just granted.
 */
@ProviderType
public interface Gatekeeper {

    /** The realm named in {@code WWW-Authenticate} answers. */
    String REALM = "Tagbridge";

    /**
     * @param username as the caller sent it, or null when it sent none
     * @param password as the caller sent it, or null
     * @param client the caller's address, so that repeated failures slow that caller down and nobody else
     */
    Access check(String username, String password, String client);

    /**
     * Checks an HTTP {@code Authorization} header in the Basic scheme; anything else, or none, is a caller
     * without credentials.
     */
    default Access checkHeader(String authorization, String client) {
        String prefix = "Basic ";
        if (authorization == null || !authorization.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return check(null, null, client);
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(prefix.length()).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return check(null, null, client);
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? check(null, null, client)
                : check(decoded.substring(0, colon), decoded.substring(colon + 1), client);
    }

    /** Seconds a {@link Access#THROTTLED} caller should wait, for {@code Retry-After}. */
    int retryAfterSeconds(String client);

    /** Whether reading metrics and health needs credentials too; by default probes and scrapers read them freely. */
    boolean monitoringNeedsCredentials();
}
