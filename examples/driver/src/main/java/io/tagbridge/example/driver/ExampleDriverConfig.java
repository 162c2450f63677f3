package io.tagbridge.example.driver;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Tagbridge Example Driver",
        description = "A driver written against Tagbridge's API only, to copy: it reads a made-up sensor and keeps "
                + "every value Tagbridge refuses until it is taken.")
public @interface ExampleDriverConfig {

    String PID = "io.tagbridge.example.driver";

    @AttributeDefinition(name = "Tag", description = "The name of the tag this driver reads.")
    String tag() default "example.sensor";

    @AttributeDefinition(name = "Readings per second", description = "How often the sensor is read.", min = "1",
            max = "10000")
    int readingsPerSecond() default 10;

    @AttributeDefinition(name = "Readings", description = "Stop after this many readings; 0 reads for as long as "
            + "the driver runs.", min = "0")
    long readings() default 0;

    @AttributeDefinition(name = "Readings held", description = "How many refused readings the driver keeps while "
            + "Tagbridge cannot take them. Beyond this the oldest are dropped, and the log says how many.", min = "1")
    int maxHeld() default 100_000;

    @AttributeDefinition(name = "Wait for the disk", description = "Off: readings are handed over with offer(), "
            + "which returns as soon as Tagbridge has them; a power cut can take those of the journal's last sync "
            + "interval (200 ms). On: with offerDurably(), which answers once they are on disk; the driver keeps "
            + "reading meanwhile and owns each reading until that answer.")
    boolean durable() default false;
}
