package io.tagbridge.example.sink;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.tagbridge.api.sink.OutageMode;

/**
 * A memory target's settings. The delivery settings are the engine's (see io.tagbridge.api.sink.TagSink): a sink
 * declares those it lets operators change, with the engine's defaults; Declarative Services puts them on the
 * service, where the engine reads them.
 */
@ObjectClassDefinition(name = "Tagbridge Example Memory Sink", description = "Keeps every value it is given in "
        + "memory, until the bundle stops. For tests and as an example of a target of another kind.")
public @interface MemorySinkConfig {

    String FACTORY_PID = "io.tagbridge.example.sink.memory";

    @AttributeDefinition(name = "Name", description = "Name of this target, unique among the targets.")
    String name();

    @AttributeDefinition(name = "Tag filter", description = "Which tags this target takes: * and ? patterns. "
            + "Empty takes every tag.", required = false)
    String[] tagFilter() default {};

    @AttributeDefinition(name = "During an outage", description = "KEEP: values wait in the journal. BACKUP: "
            + "they go to backup files.")
    OutageMode outageMode() default OutageMode.KEEP;

    @AttributeDefinition(name = "Batch size", min = "1", max = "100000")
    int batchSize() default 500;

    @AttributeDefinition(name = "Write interval (s)")
    double writeIntervalSeconds() default 0.5;
}
