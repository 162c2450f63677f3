package io.tagbridge.metrics;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "Tagbridge Metrics",
        description = "Rolling write metrics and the health verdict served at /api/buffer/writer/metrics and "
                + "/api/buffer/health.")
public @interface MetricsConfig {

    String PID = "io.tagbridge.metrics";

    @AttributeDefinition(
            name = "Window (s)",
            description = "Length of the rolling window the averages, rates and counts cover. 1 to 86400.",
            min = "1", max = "86400")
    int windowSeconds() default 300;

    @AttributeDefinition(
            name = "Buffer warning level (%)",
            description = "Health turns DEGRADED when the buffer is this full. 1 to 100.",
            min = "1", max = "100")
    int bufferDegradedPercent() default 80;

    @AttributeDefinition(
            name = "Buffer alarm level (%)",
            description = "Health turns DOWN when the buffer is this full: drivers are about to be refused. "
                    + "1 to 100, not below the warning level.",
            min = "1", max = "100")
    int bufferDownPercent() default 95;
}
