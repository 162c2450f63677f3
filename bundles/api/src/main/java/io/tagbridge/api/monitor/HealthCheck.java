package io.tagbridge.api.monitor;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A part of the gateway outside the pipeline that has a say in its health, such as its configuration files or
 * the key that seals its secrets. Registered as a service (the whiteboard pattern): the health verdict lists
 * every one under its {@link #name()} in {@link HealthReport#components()}, and a check that is {@code DOWN}
 * makes the whole gateway {@code DOWN}, one that is {@code DEGRADED} makes it at least {@code DEGRADED}.
 */
@ConsumerType
public interface HealthCheck {

    /** The part's name in the health answer, in lower case, e.g. {@code configuration}. */
    String name();

    /** The part's verdict now; cheap to call, since health is computed on every request. */
    ComponentHealth check();
}
