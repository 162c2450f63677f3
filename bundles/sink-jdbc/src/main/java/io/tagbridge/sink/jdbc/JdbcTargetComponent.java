package io.tagbridge.sink.jdbc;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.pipeline.Diagnosis;
import io.tagbridge.api.pipeline.TagStore;
import io.tagbridge.api.sink.TagSink;
import io.tagbridge.api.sink.jdbc.SqlDialect;

/**
 * One writer configuration's table, through the pool it names: registered as the {@link TagSink} the engine writes
 * to, and as the {@link TagStore} tools read. The configuration's delivery settings (batch size, retries, outage
 * mode...) ride on the sink's service properties to the engine.
 *
 * <p>A configuration change restarts it, and its pool going away stops it: the engine then stops the target, and
 * what it has not written stays in the buffer.
 */
// For resolvers (Karaf features, bnd): both services are registered by hand, so that health can say why the sink
// went before it goes; DS cannot declare them.
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.tagbridge.api.sink.TagSink")
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.tagbridge.api.pipeline.TagStore")
@Component(configurationPid = WriterConfig.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = WriterConfig.class, factory = true)
public class JdbcTargetComponent {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcTargetComponent.class);

    static final String FILEINSTALL_NOTE = "felix.fileinstall.filename";

    @Reference(name = "dataSource", service = DataSource.class)
    private Map.Entry<Map<String, Object>, DataSource> pool;

    @Reference
    private TargetConfigurations configurations;

    private final Dialects dialects = new Dialects();

    private JdbcSink sink;
    private ServiceRegistration<TagSink> registration;
    private ServiceRegistration<TagStore> store;
    private Map<String, Object> running;
    private String pid;
    private String target;

    @Activate
    void activate(BundleContext context, WriterConfig config, Map<String, Object> properties) {
        pid = String.valueOf(properties.get(Constants.SERVICE_PID));
        target = config.name();
        List<String> problems = JdbcSettings.problems(config);
        Dictionary<String, Object> service = new Hashtable<>(JdbcSettings.targetProperties(config));
        if (!problems.isEmpty()) {
            // The engine shows them in health and logs them, and starts no target for this sink.
            service.put(TagSink.PROBLEMS_PROPERTY, problems.toArray(String[]::new));
            sink = JdbcSink.refused("table " + config.tableName());
            registration = context.registerService(TagSink.class, sink, service);
            running = null;
            return;
        }
        JdbcSettings settings = JdbcSettings.from(config);
        DataSource dataSource = pool.getValue();
        service.put("writeConnections", writeConnections(config));
        TagTable table = new TagTable(settings.table(), settings.partitionByDay());
        BatchInserter inserter = new BatchInserter(dataSource, table, settings.createTable(), settings.writeMode(),
                settings.conflictPolicy(), settings.gatewayId(), dialects);
        sink = new JdbcSink(inserter, "table " + settings.table().sql());
        registration = context.registerService(TagSink.class, sink, service);
        store = context.registerService(TagStore.class, new WriterTagStore(config.name(), dataSource, table,
                settings.createTable(), inserter), FrameworkUtil.asDictionary(Map.of(TagStore.NAME_PROPERTY,
                        config.name())));
        LOG.debug("Writer {}: table {} ({}), gateway {}", config.name(), settings.table().sql(),
                settings.writeMode(), settings.gatewayId());
        running = comparable(config);
    }

    /**
     * Restarts in place, except when FileInstall reads back the etc file a console save was just written into:
     * the same settings, now as text and with FileInstall's note of the file. Saving the same settings again in
     * the console still restarts the writer, which is how an operator makes it try refused settings again.
     */
    @Modified
    void modified(BundleContext context, WriterConfig config, Map<String, Object> properties) {
        if (running != null && properties.containsKey(FILEINSTALL_NOTE) && JdbcSettings.problems(config).isEmpty()
                && comparable(config).equals(running)) {
            return;
        }
        deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_MODIFIED);
        activate(context, config, properties);
    }

    @Deactivate
    void deactivate(int reason) {
        running = null;
        if (store != null) {
            store.unregister();
            store = null;
        }
        sink.withdraw(stopped(reason));
        registration.unregister();
        if (reason == ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED) {
            configurations.deleted(pid, target);
        }
    }

    /**
     * The configured write connections, at most the pool's maximum minus one: the connection left is for the
     * connection check, the store's reads and the other targets of the pool, so a busy target never starves them.
     */
    private int writeConnections(WriterConfig config) {
        int allowed = JdbcSettings.writeConnections(config.writeConnections(), pool.getKey().get("tagbridge.poolMax"));
        if (allowed < config.writeConnections()) {
            LOG.warn("Writer {}: writeConnections is {} but its pool has at most {} connections, so it writes "
                    + "through up to {}; raise the pool's Maximum connections to allow more", config.name(),
                    config.writeConnections(), pool.getKey().get("tagbridge.poolMax"), allowed);
        }
        return allowed;
    }

    /** A database other than Oracle and H2: its bundle registers the SQL it needs. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addDialect(SqlDialect dialect, Map<String, Object> properties) {
        Object product = properties.get(SqlDialect.PRODUCT_PROPERTY);
        if (product != null) {
            dialects.add(product.toString(), dialect);
        }
    }

    void removeDialect(SqlDialect dialect, Map<String, Object> properties) {
        Object product = properties.get(SqlDialect.PRODUCT_PROPERTY);
        if (product != null) {
            dialects.remove(product.toString(), dialect);
        }
    }

    /** Everything the configuration says, in a form that compares equal whether it came typed or as text. */
    private static Map<String, Object> comparable(WriterConfig config) {
        Map<String, Object> all = new java.util.LinkedHashMap<>(JdbcSettings.targetProperties(config));
        all.put("jdbc", JdbcSettings.from(config));
        return all;
    }

    /** Why the sink went, in the words health shows. */
    static Diagnosis stopped(int reason) {
        return switch (reason) {
            case ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED, ComponentConstants.DEACTIVATION_REASON_DISPOSED ->
                    Diagnosis.of("CONFIGURATION_DELETED", "its configuration was deleted");
            case ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED -> Diagnosis.of("SINK_BUNDLE_STOPPED",
                    "the JDBC sink bundle is stopped: start io.tagbridge.sink-jdbc again (lb, then start <id>)");
            case ComponentConstants.DEACTIVATION_REASON_REFERENCE -> Diagnosis.of("DEPENDENCY_MISSING",
                    "the writer stopped because its pool went away: check that the pool named in "
                            + "dataSource.target runs (scr:list)");
            case ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_MODIFIED -> Diagnosis.of("RECONFIGURING",
                    "the writer restarts with its changed configuration; if it stays here, the pool its "
                            + "dataSource.target names does not run (scr:list)");
            default -> Diagnosis.of("WRITER_STOPPED", "the writer is stopped: check the writer's configuration and "
                    + "that bundles io.tagbridge.writer and io.tagbridge.sink-jdbc are active");
        };
    }
}
