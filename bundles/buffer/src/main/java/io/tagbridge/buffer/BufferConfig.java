package io.tagbridge.buffer;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "Tagbridge Buffer",
        description = "The in-memory buffer between the drivers and the database writers. "
                + "Changes apply at once and keep the values already buffered.")
public @interface BufferConfig {

    String PID = "io.tagbridge.buffer";

    @AttributeDefinition(
            name = "Capacity (values)",
            description = "How many tag values the buffer holds while the database is slow or unreachable. "
                    + "Each value takes about 100 bytes of heap. At least 1.",
            min = "1")
    int capacity() default 100_000;

    @AttributeDefinition(
            name = "When full",
            description = "BLOCK: drivers wait up to the block timeout for room, then their values are refused. "
                    + "REJECT_NEWEST: new values are refused at once. "
                    + "DROP_OLDEST: the oldest buffered values are discarded to make room. "
                    + "Every refused or discarded value is counted in the metrics.")
    OverflowPolicy overflowPolicy() default OverflowPolicy.BLOCK;

    @AttributeDefinition(
            name = "Block timeout (ms)",
            description = "With BLOCK, how long a driver waits for room before its values are refused. 0 or more.",
            min = "0")
    long blockTimeoutMillis() default 1000;
}
