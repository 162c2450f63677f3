package io.tagbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

class SealedValuesTest {

    @TempDir
    Path etc;

    @Test
    void sealedPasswordsAreFoundInConfigurationsAndEtcFilesAndClearOnesAreNot() throws Exception {
        Files.writeString(etc.resolve("io.tagbridge.oracle.pool-plant.cfg"), "url=x\npassword = ENC(abc)\n");
        Files.writeString(etc.resolve("io.tagbridge.security.cfg"), "password=typed-in-clear\n");
        Files.writeString(etc.resolve("notes.txt"), "password=ENC(abc)\n");
        ConfigurationAdmin admin = admin(
                configuration("io.tagbridge.oracle.pool~default", Map.of("trustStorePassword", "ENC(def)")),
                configuration("io.tagbridge.writer~default", Map.of("name", "ENC(not-a-secret)")));

        assertThat(SealedValues.find(admin, etc)).containsExactly("configuration io.tagbridge.oracle.pool~default",
                etc.resolve("io.tagbridge.oracle.pool-plant.cfg").toString());
    }

    @Test
    void withoutConfigurationsAndEtcFilesNothingIsSealed() throws Exception {
        assertThat(SealedValues.find(admin(), etc.resolve("missing"))).isEmpty();
    }

    private static ConfigurationAdmin admin(Configuration... configurations) {
        return (ConfigurationAdmin) Proxy.newProxyInstance(SealedValuesTest.class.getClassLoader(),
                new Class<?>[] { ConfigurationAdmin.class }, (proxy, method, args) -> {
                    if (!method.getName().equals("listConfigurations")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return configurations.length == 0 ? null : configurations;
                });
    }

    private static Configuration configuration(String pid, Map<String, Object> properties) {
        return (Configuration) Proxy.newProxyInstance(SealedValuesTest.class.getClassLoader(),
                new Class<?>[] { Configuration.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "getPid" -> pid;
                    case "getProperties" -> new Hashtable<>(properties);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
