package io.tagbridge.kura;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * A gateway as Eclipse Kura is one, for what a deployment package needs: an OSGi framework with Declarative
 * Services, ConfigAdmin, MetaType, EventAdmin and a DeploymentAdmin, and no web server. The test talks to what
 * runs inside through the services' interfaces as the framework loads them, by reflection, so that nothing of
 * Tagbridge is on the test's own class path.
 */
final class KuraLikeGateway implements AutoCloseable {

    private final Framework framework;

    KuraLikeGateway(Path home) throws Exception {
        Map<String, String> properties = new HashMap<>();
        properties.put("org.osgi.framework.storage", home.resolve("framework").toString());
        properties.put("org.osgi.framework.storage.clean", "onFirstInit");
        properties.put("tagbridge.data", home.resolve("data").toString());
        // slf4j 2 from the class path, as the gateway jar has it
        properties.put("org.osgi.framework.system.packages.extra", "org.slf4j;version=2.0.17,"
                + "org.slf4j.event;version=2.0.17,org.slf4j.helpers;version=2.0.17,org.slf4j.spi;version=2.0.17");
        framework = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow().newFramework(properties);
        framework.start();
        List<Bundle> installed = new ArrayList<>();
        try (Stream<Path> jars = Files.list(Path.of(System.getProperty("gateway.bundles")))) {
            for (Path jar : jars.sorted().toList()) {
                installed.add(context().installBundle(jar.toUri().toString()));
            }
        }
        for (Bundle bundle : installed) {
            bundle.start();
        }
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    /**
     * A service by interface name, whichever class loader its interface comes from: the test's own class path
     * holds the bundles' jars too, and the framework would hide services whose classes differ from those.
     */
    ServiceReference<?> reference(String type) throws InvalidSyntaxException {
        ServiceReference<?>[] all = context().getAllServiceReferences(type, null);
        return all == null ? null : all[0];
    }

    /** Calls a method of the service registered under {@code type}, through that interface as the framework has it. */
    Object call(String type, String method, Object... arguments) throws Exception {
        ServiceReference<?> reference = reference(type);
        if (reference == null) {
            throw new IllegalStateException("no " + type + " service");
        }
        Object service = context().getService(reference);
        try {
            return invoke(service, type, method, arguments);
        } finally {
            context().ungetService(reference);
        }
    }

    /** Calls a method of an object from inside the framework, through the named interface, as its loader sees it. */
    static Object invoke(Object target, String type, String method, Object... arguments) throws Exception {
        return invokeOn(target.getClass().getClassLoader().loadClass(type), target, method, arguments);
    }

    /** Calls a method of {@code api} on {@code target}, or a static one when target is null. */
    static Object invokeOn(Class<?> api, Object target, String method, Object... arguments) throws Exception {
        for (Method candidate : api.getMethods()) {
            if (candidate.getName().equals(method) && accepts(candidate.getParameterTypes(), arguments)) {
                return candidate.invoke(target, arguments);
            }
        }
        throw new NoSuchMethodException(api.getName() + "." + method + " for " + List.of(arguments));
    }

    private static boolean accepts(Class<?>[] parameters, Object[] arguments) {
        if (parameters.length != arguments.length) {
            return false;
        }
        for (int i = 0; i < parameters.length; i++) {
            if (!MethodType.methodType(parameters[i]).wrap().returnType().isInstance(arguments[i])) {
                return false;
            }
        }
        return true;
    }

    /** A class as the given installed bundle sees it. */
    Class<?> load(String bundle, String type) throws ClassNotFoundException {
        return Stream.of(context().getBundles()).filter(b -> bundle.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new ClassNotFoundException(type + ": no bundle " + bundle)).loadClass(type);
    }

    Object deploymentAdmin(String method, Object... arguments) throws Exception {
        return call("org.osgi.service.deploymentadmin.DeploymentAdmin", method, arguments);
    }

    Object install(InputStream deploymentPackage) throws Exception {
        return deploymentAdmin("installDeploymentPackage", deploymentPackage);
    }

    List<String> bundleNames() {
        return Stream.of(context().getBundles()).map(Bundle::getSymbolicName).toList();
    }

    @Override
    public void close() throws BundleException, InterruptedException, IOException {
        framework.stop();
        framework.waitForStop(60_000);
    }
}
