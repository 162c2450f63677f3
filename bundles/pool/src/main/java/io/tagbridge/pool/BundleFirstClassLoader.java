package io.tagbridge.pool;

/**
 * The class loader UCP must find as the thread context class loader: it loads the connection factory class by
 * name and defines its proxy classes through it, and OSGi threads usually have none ("UCP-0: Unable to start
 * the Universal Connection Pool", caused by a null class loader). This one sees what this bundle imports
 * (the H2 and Oracle data sources) first and UCP's own classes second.
 */
final class BundleFirstClassLoader extends ClassLoader {

    private final ClassLoader bundle;
    private final ClassLoader ucp;

    BundleFirstClassLoader(ClassLoader bundle, ClassLoader ucp) {
        super(null);
        this.bundle = bundle;
        this.ucp = ucp;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        try {
            return bundle.loadClass(name);
        } catch (ClassNotFoundException e) {
            return ucp.loadClass(name);
        }
    }

    @Override
    protected java.net.URL findResource(String name) {
        java.net.URL url = bundle.getResource(name);
        return url != null ? url : ucp.getResource(name);
    }
}
