package io.tagbridge.writer;

import java.io.IOException;
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

import io.tagbridge.api.pipeline.WriteRecorder;

/**
 * Tells the recorders when a target is gone for good: its writer configuration was deleted. The writer itself
 * cannot always say so, because it may not be running when that happens (its pool was deleted first), so this
 * follows the configurations: it learns each one's target name while it exists, since a deleted configuration
 * has no properties left to read.
 */
@Component
public class DeletedTargets implements ConfigurationListener {

    private static final Logger LOG = LoggerFactory.getLogger(DeletedTargets.class);

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<WriteRecorder> recorders;

    private final WriteRecorder recorder = new RecorderFanOut(() -> recorders);
    private final ConfigurationAdmin cm;
    private final Map<String, String> targetByPid = new ConcurrentHashMap<>();

    @Activate
    public DeletedTargets(@Reference ConfigurationAdmin cm) throws IOException, InvalidSyntaxException {
        this.cm = cm;
        Configuration[] existing = cm.listConfigurations("(service.factoryPid=" + WriterConfig.FACTORY_PID + ")");
        if (existing != null) {
            for (Configuration c : existing) {
                learn(c);
            }
        }
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (!WriterConfig.FACTORY_PID.equals(event.getFactoryPid())) {
            return;
        }
        if (event.getType() == ConfigurationEvent.CM_DELETED) {
            String target = targetByPid.remove(event.getPid());
            if (target != null && !targetByPid.containsValue(target)) {
                recorder.removed(target);
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

    private void learn(Configuration configuration) {
        Object name = configuration.getProperties() == null ? null : configuration.getProperties().get("name");
        targetByPid.put(configuration.getPid(), name == null ? "default" : name.toString());
    }
}
