package io.tagbridge.gateway;

import java.nio.file.Path;

import org.osgi.framework.BundleContext;

/** The folder FileInstall watches for configuration files: etc/ unless the framework names another. */
final class ConfigDirectory {

    static final String PROPERTY = "felix.fileinstall.dir";

    private ConfigDirectory() {
    }

    static Path of(BundleContext context) {
        String dir = context.getProperty(PROPERTY);
        return Path.of(dir == null ? "etc" : dir);
    }
}
