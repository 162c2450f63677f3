package io.tagbridge.itests;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.tagbridge.api.security.Gatekeeper;
import io.tagbridge.testkit.Await;
import io.tagbridge.testkit.GatewayHttp;

/**
 * The gateway's login as the itests know it: configured once through ConfigAdmin, as an operator sets it in
 * the console, so that tests can post values and replay files.
 */
final class Operator {

    static final String USER = "operator";
    static final String PASSWORD = "itests-Operator-Secret-7";
    static final String SECURITY_PID = "io.tagbridge.security";

    private Operator() {
    }

    /**
     * Sets the login unless it is set already, and waits until the REST doors took it: the password is sealed,
     * the gateway's login runs with it, and the resource answers with it.
     */
    static void logIn(ConfigurationAdmin cm) throws Exception {
        Configuration security = cm.getConfiguration(SECURITY_PID, "?");
        Dictionary<String, Object> now = security.getProperties();
        if (now == null || !USER.equals(now.get("username")) || now.get("monitoringNeedsCredentials") != null
                || now.get("failuresBeforeSlowDown") != null) {
            setLogin(cm, USER, PASSWORD);
        }
        String sealed = Await.until("the password to be sealed", TestPipeline.TIMEOUT,
                () -> String.valueOf(cm.getConfiguration(SECURITY_PID, "?").getProperties().get("password")),
                p -> p.startsWith("ENC("));
        BundleContext context = FrameworkUtil.getBundle(Operator.class).getBundleContext();
        Await.until("the login to run with the sealed password", TestPipeline.TIMEOUT,
                () -> context.getServiceReferences(Gatekeeper.class, null).stream()
                        .map(r -> r.getProperty("password")).toList(),
                passwords -> passwords.equals(List.of(sealed)));
        Await.until("the REST doors to take the operator's login", TestPipeline.TIMEOUT,
                () -> http().post("/api/buffer/backups/replay").statusCode(), status -> status == 202);
    }

    static void setLogin(ConfigurationAdmin cm, String user, String password) throws IOException {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("username", user);
        properties.put("password", password);
        cm.getConfiguration(SECURITY_PID, "?").update(properties);
    }

    static GatewayHttp http() {
        return Http.as(USER, PASSWORD);
    }
}
