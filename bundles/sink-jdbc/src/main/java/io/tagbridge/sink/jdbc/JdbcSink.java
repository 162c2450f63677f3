package io.tagbridge.sink.jdbc;

import java.util.List;

import javax.sql.DataSource;

import io.tagbridge.api.pipeline.Diagnosis;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.sink.SinkFailure;
import io.tagbridge.api.sink.TagSink;
import io.tagbridge.api.sink.WriteResult;

/** One table through a connection pool: the JDBC sink. Public for the engine's tests, which write through it. */
public final class JdbcSink implements TagSink {

    private final BatchInserter inserter;
    private final String destination;
    private volatile Diagnosis withdrawn;

    JdbcSink(BatchInserter inserter, String destination) {
        this.inserter = inserter;
        this.destination = destination;
    }

    /**
     * The sink of a configuration with problems: registered so that health can show them (see
     * {@link TagSink#PROBLEMS_PROPERTY}); the engine starts no target for it, and it stores nothing.
     */
    static JdbcSink refused(String destination) {
        return new JdbcSink(null, destination);
    }

    /** A sink for the engine's tests: one table, keeping the first value on a conflict, gateway ID gw-1. */
    public static JdbcSink of(DataSource dataSource, String table, boolean createTable, WriteMode mode) {
        TableName name = TableName.parse(table);
        return new JdbcSink(new BatchInserter(dataSource, new TagTable(name, false), createTable, mode,
                ConflictPolicy.KEEP_FIRST, "gw-1", new Dialects()), "table " + name.sql());
    }

    BatchInserter inserter() {
        return inserter;
    }

    @Override
    public WriteResult write(List<ReceivedValue> batch, boolean mayBeStored) throws Exception {
        if (inserter == null) {
            throw new IllegalStateException("the writer's configuration is refused; nothing is written");
        }
        return inserter.insert(batch, mayBeStored);
    }

    /** A lane through another connection of the pool, borrowed now; the engine opens lanes aside. */
    @Override
    public Lane openLane() throws Exception {
        if (inserter == null) {
            return null;
        }
        BatchInserter lane = inserter.lane();
        return new Lane() {
            @Override
            public WriteResult write(List<ReceivedValue> batch, boolean mayBeStored) throws Exception {
                return lane.insert(batch, mayBeStored);
            }

            @Override
            public void close() {
                lane.release();
            }
        };
    }

    @Override
    public void warmUp() {
        inserter.warmUp();
    }

    @Override
    public void release() {
        inserter.release();
    }

    @Override
    public boolean needsMakeDurable() {
        return inserter.needsCheckpoint();
    }

    @Override
    public boolean makeDurable() {
        return inserter.checkpoint();
    }

    @Override
    public SinkFailure classify(Throwable failure) {
        return SqlErrors.failure(failure);
    }

    @Override
    public String destination() {
        return destination;
    }

    /** Says why the sink goes, before its service is unregistered. */
    void withdraw(Diagnosis why) {
        withdrawn = why;
    }

    @Override
    public Diagnosis withdrawn() {
        Diagnosis why = withdrawn;
        return why != null ? why : TagSink.super.withdrawn();
    }
}
