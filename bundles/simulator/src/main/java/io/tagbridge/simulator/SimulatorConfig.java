package io.tagbridge.simulator;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "Tagbridge Simulator",
        description = "A demo driver that publishes made-up tag values through the ingest service, as a real "
                + "driver would. Turn it off on a production gateway.")
public @interface SimulatorConfig {

    String PID = "io.tagbridge.simulator";

    @AttributeDefinition(name = "Enabled", description = "Publish simulated values.")
    boolean enabled() default true;

    @AttributeDefinition(name = "Tags", description = "How many different tags to simulate. 1 to 100000.",
            min = "1", max = "100000")
    int tagCount() default 100;

    @AttributeDefinition(name = "Values per second", description = "Total rate over all tags. 1 to 1000000.",
            min = "1", max = "1000000")
    int valuesPerSecond() default 1000;

    @AttributeDefinition(name = "Tag name prefix", description = "Simulated tag names are this prefix plus a number.")
    String tagPrefix() default "sim.tag";
}
