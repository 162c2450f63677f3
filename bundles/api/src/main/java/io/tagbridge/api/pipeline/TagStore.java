package io.tagbridge.api.pipeline;

import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;

import io.tagbridge.api.TagValue;

/**
 * The table one writer writes to, offered to tools: the connection test checks it, the load test reads back
 * what reached it. Each running writer registers one, with the service property {@value #NAME_PROPERTY}
 * naming the writer's configuration instance.
 */
@ProviderType
public interface TagStore {

    /** The service property that names the writer. */
    String NAME_PROPERTY = "name";

    /** The writer's configuration instance name. */
    String writerName();

    /** The table, as the SQL names it (schema-qualified when configured so). */
    String table();

    /**
     * Checks, in order, that a connection opens, that the database answers, that the table exists (or is
     * created, when the writer may create it) and has the columns the writer fills, and that a row can be
     * written; the test row is rolled back. Stops at the first step that fails. Nothing is kept.
     *
     * @param timeout how long each database call may take before it is given up
     */
    StoreCheck check(Duration timeout);

    /**
     * Reads back the stored values whose tag names start with {@code tagNamePrefix}, in no particular order.
     *
     * @return how many rows were read
     * @throws SQLException when the database cannot be read
     */
    long read(String tagNamePrefix, Consumer<TagValue> sink) throws SQLException;
}
