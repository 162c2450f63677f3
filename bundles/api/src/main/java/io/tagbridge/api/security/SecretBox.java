package io.tagbridge.api.security;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Keeps configuration secrets (passwords) encrypted wherever the gateway holds or shows them: ConfigAdmin, files,
 * the console, REST. A component opens a sealed value only where it uses it.
 */
@ProviderType
public interface SecretBox {

    /** How a sealed value begins, so that sealed and clear values can be told apart in any file. */
    String PREFIX = "ENC(";

    /** The sealed form of a clear secret; a value already sealed comes back as it is. */
    String seal(String clear);

    /**
     * The clear secret; a value that is not sealed comes back as it is (typed by hand, not yet sealed).
     *
     * @throws IllegalArgumentException when the value was sealed with another key, naming what to do
     */
    String open(String value);

    /** Which configuration properties are secrets: any whose name ends in "password", in any case. */
    static boolean isSecretName(String property) {
        return property != null && property.toLowerCase(java.util.Locale.ROOT).endsWith("password");
    }

    static boolean isSealed(String value) {
        return value != null && value.startsWith(PREFIX) && value.endsWith(")");
    }
}
