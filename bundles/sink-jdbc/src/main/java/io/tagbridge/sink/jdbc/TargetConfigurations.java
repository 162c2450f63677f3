package io.tagbridge.sink.jdbc;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.pipeline.TagBuffer;
import io.tagbridge.api.pipeline.WriteRecorder;

/**
 * Keeps the buffer's targets in step with the writer configurations. A target exists as soon as its configuration
 * does, so the buffer keeps values for it even before its writer reads (its pool may not run yet). A deleted
 * configuration is told to the recorders and to the buffer, which releases the target's values after a while. The
 * writer itself cannot always say so, because it may not be running when that happens, and a deleted
 * configuration has no properties left to read, so this learns each configuration's target name while it exists.
 */
// Also a service of its own class, for this bundle's writers only (the package is private): see deleted(...).
@Component(service = {ConfigurationListener.class, TargetConfigurations.class})
public class TargetConfigurations implements ConfigurationListener {

    private static final Logger LOG = LoggerFactory.getLogger(TargetConfigurations.class);

    /** The configuration form's defaults: a configuration without a name has the form's, as its writer does. */
    private static final WriterConfig DEFAULTS = (WriterConfig) Proxy.newProxyInstance(
            WriterConfig.class.getClassLoader(), new Class<?>[] { WriterConfig.class },
            (proxy, method, args) -> method.getDefaultValue());

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<WriteRecorder> recorders;

    private volatile TagBuffer buffer;
    private final ConfigurationAdmin cm;
    private final Map<String, String> targetByPid = new ConcurrentHashMap<>();
    private final Map<String, List<String>> filterByTarget = new ConcurrentHashMap<>();

    @Activate
    public TargetConfigurations(@Reference ConfigurationAdmin cm) throws IOException, InvalidSyntaxException {
        this.cm = cm;
        Configuration[] existing = cm.listConfigurations("(service.factoryPid=" + WriterConfig.FACTORY_PID + ")");
        if (existing != null) {
            for (Configuration c : existing) {
                learn(c);
            }
        }
    }

    /**
     * A buffer comes: targets it keeps that no configuration names any more were deleted while it was away (or
     * while the gateway was down), and it is told so.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindBuffer(TagBuffer added) {
        buffer = added;
        filterByTarget.forEach(added::expect);
        for (String target : added.status().targets().keySet()) {
            if (!targetByPid.containsValue(target)) {
                added.remove(target);
            }
        }
    }

    void unbindBuffer(TagBuffer removed) {
        if (buffer == removed) {
            buffer = null;
        }
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (!WriterConfig.FACTORY_PID.equals(event.getFactoryPid())) {
            return;
        }
        if (event.getType() == ConfigurationEvent.CM_DELETED) {
            String target = targetByPid.remove(event.getPid());
            if (target != null) {
                forget(target);
            }
            return;
        }
        try {
            Configuration[] updated = cm.listConfigurations("(service.pid=" + event.getPid() + ")");
            if (updated != null) {
                learn(updated[0]);
            }
        } catch (IOException | InvalidSyntaxException e) {
            LOG.debug("Could not read configuration {}: {}", event.getPid(), e.getMessage());
        }
    }

    /**
     * The writer of a configuration stopped because the configuration was deleted. Said again after the listener
     * heard it, because DS may have started that writer just after: opening its cursor then brought the target back.
     */
    void deleted(String pid, String target) {
        targetByPid.remove(pid);
        forget(target);
    }

    private void forget(String target) {
        if (targetByPid.containsValue(target)) {
            return;
        }
        filterByTarget.remove(target);
        for (WriteRecorder recorder : recorders) {
            recorder.removed(target);
        }
        TagBuffer current = buffer;
        if (current != null) {
            current.remove(target);
        }
    }

    private void learn(Configuration configuration) {
        Dictionary<String, Object> properties = configuration.getProperties();
        Object name = properties == null ? null : properties.get("name");
        String target = name == null ? DEFAULTS.name() : name.toString();
        List<String> filter = globs(properties == null ? null : properties.get("tagFilter"));
        targetByPid.put(configuration.getPid(), target);
        filterByTarget.put(target, filter);
        TagBuffer current = buffer;
        if (current != null) {
            current.expect(target, filter);
        }
    }

    /** A tag filter as ConfigAdmin holds it: a String[], a collection, or one string. */
    private static List<String> globs(Object value) {
        if (value instanceof String[] array) {
            return List.of(array);
        }
        if (value instanceof java.util.Collection<?> collection) {
            return collection.stream().map(String::valueOf).toList();
        }
        return value == null || value.toString().isBlank() ? List.of() : List.of(value.toString());
    }
}
