package io.tagbridge.itests;

import io.tagbridge.testkit.GatewayHttp;

/**
 * The test framework's web server, on the port itests.bnd gives it, asked through the kit's HTTP client: one client
 * for every test, anonymous or with basic credentials ({@link #as}).
 */
final class Http {

    static final int PORT = 18080;

    private static final GatewayHttp ANONYMOUS = GatewayHttp.local(PORT);

    private Http() {
    }

    /** Anonymous requests. */
    static GatewayHttp anonymous() {
        return ANONYMOUS;
    }

    /** Requests that carry these credentials. */
    static GatewayHttp as(String user, String password) {
        return ANONYMOUS.as(user, password);
    }
}
