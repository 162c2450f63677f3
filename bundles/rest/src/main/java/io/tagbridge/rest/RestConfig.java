package io.tagbridge.rest;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "Tagbridge REST",
        description = "Limits of the REST endpoints under /api/buffer, so that no request can exhaust the "
                + "gateway's memory. The login is set in Tagbridge Security.")
public @interface RestConfig {

    String PID = "io.tagbridge.rest";

    @AttributeDefinition(
            name = "Largest request (KB)",
            description = "A request body above this size is refused with 413 before it is read. About 2 MB "
                    + "holds 10,000 values.",
            min = "1")
    int maxRequestKilobytes() default 2048;

    @AttributeDefinition(
            name = "Values per request",
            description = "Most values one POST may carry; the next one ends the request with 400.",
            min = "1")
    int maxValuesPerRequest() default 10_000;

    @AttributeDefinition(
            name = "Requests read at once",
            description = "How many POSTs of values are read at the same time; others get 503 with Retry-After "
                    + "and should send again.",
            min = "1")
    int concurrentIngestRequests() default 4;
}
