package io.tagbridge.gateway;

import java.lang.reflect.Proxy;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** ConfigAdmin as the tests need it: configurations to list, nothing else. */
final class Configurations {

    private Configurations() {
    }

    static ConfigurationAdmin admin(Configuration... stored) {
        return (ConfigurationAdmin) Proxy.newProxyInstance(Configurations.class.getClassLoader(),
                new Class<?>[] { ConfigurationAdmin.class }, (proxy, method, args) -> {
                    if (!method.getName().equals("listConfigurations")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return stored.length == 0 ? null : stored;
                });
    }

    static Configuration configuration(String pid, Map<String, Object> properties) {
        Hashtable<String, Object> dictionary = new Hashtable<>(properties);
        dictionary.put("service.pid", pid);
        return (Configuration) Proxy.newProxyInstance(Configurations.class.getClassLoader(),
                new Class<?>[] { Configuration.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "getPid" -> pid;
                    case "getProperties" -> new Hashtable<>(dictionary);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
