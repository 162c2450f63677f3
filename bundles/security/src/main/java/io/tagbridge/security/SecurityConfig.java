package io.tagbridge.security;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "Tagbridge Security",
        description = "The gateway's login, for the web console and for every REST call that changes something "
                + "(posting values, replaying or deleting backup files). There is no default password: until one "
                + "is set here, the first start generates one and writes it to initial-admin-password in the "
                + "data directory.")
public @interface SecurityConfig {

    String PID = "io.tagbridge.security";

    @AttributeDefinition(name = "Username", description = "The name to log in with.")
    String username() default "admin";

    @AttributeDefinition(
            name = "Password",
            description = "The password to log in with; at least 8 characters. Saving one deletes the generated "
                    + "initial-admin-password file. It is kept encrypted and never logged.",
            type = AttributeType.PASSWORD,
            required = false)
    String password() default "";

    @AttributeDefinition(
            name = "Monitoring needs credentials",
            description = "Off: metrics, health and the Prometheus endpoint can be read without logging in, as "
                    + "probes and scrapers need (anonymous health leaves out error texts with hosts and users). "
                    + "On: reading them needs the login too.")
    boolean monitoringNeedsCredentials() default false;

    @AttributeDefinition(
            name = "Failures before slowing down",
            description = "After this many wrong logins in a row from one address, that address gets 429 Too Many "
                    + "Requests for a while.",
            min = "1")
    int failuresBeforeSlowDown() default 5;

    @AttributeDefinition(
            name = "Slow-down (s)",
            description = "How long an address that failed too often is refused before it may try again.",
            min = "1")
    int slowDownSeconds() default 60;
}
