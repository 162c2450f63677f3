package io.tagbridge.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

import io.tagbridge.api.monitor.ComponentHealth;
import io.tagbridge.api.monitor.HealthCheck;
import io.tagbridge.api.monitor.HealthStatus;

/**
 * The gateway's security in the health answer, as {@value #NAME}: what keeps secrets from being opened or the
 * operator from logging in. Immediate, so that what was reported is kept while no one asks.
 */
@Component(service = { HealthCheck.class, SecurityHealth.class }, immediate = true,
        configurationPolicy = ConfigurationPolicy.IGNORE)
public class SecurityHealth implements HealthCheck {

    static final String NAME = "security";
    static final String OK = "SECURITY_OK";

    /** What a problem is about; the first in this order decides the verdict when there are several. */
    enum Topic {
        KEY, LOGIN
    }

    private final Map<Topic, ComponentHealth> problems = new ConcurrentHashMap<>();

    void report(Topic topic, ComponentHealth problem) {
        problems.put(topic, problem);
    }

    void clear(Topic topic) {
        problems.remove(topic);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ComponentHealth check() {
        for (Topic topic : Topic.values()) {
            ComponentHealth problem = problems.get(topic);
            if (problem != null) {
                return problem;
            }
        }
        return new ComponentHealth(HealthStatus.UP, "READY", OK,
                "the key that seals secrets is there and the login works", "", Map.of());
    }
}
