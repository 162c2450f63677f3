package io.tagbridge.example.sink;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

import io.tagbridge.api.TagValue;
import io.tagbridge.api.pipeline.Diagnosis;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.StoreCheck;
import io.tagbridge.api.pipeline.TagStore;
import io.tagbridge.api.sink.FailureKind;
import io.tagbridge.api.sink.SinkFailure;
import io.tagbridge.api.sink.TagSink;
import io.tagbridge.api.sink.WriteResult;

/**
 * A target that keeps values in memory, one per tag and source time, as a keyed table would. It is also the
 * {@link TagStore} of its target, so that tools and tests can read back what reached it.
 *
 * <p>Everything a target of another kind must do is here: store a batch as one unit, never store a value twice
 * when the engine says it may have been stored before, count the values that meet another value, and say what a
 * failure means. A real sink (Kafka, MQTT, a historian) does the same with its own client.
 */
@Component(configurationPid = MemorySinkConfig.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = { TagSink.class, TagStore.class })
@Designate(ocd = MemorySinkConfig.class, factory = true)
public class MemorySink implements TagSink, TagStore {

    private record Key(String tag, Instant sourceTime) {
    }

    private final Map<Key, TagValue> stored = new ConcurrentHashMap<>();
    private final String name;

    @Activate
    public MemorySink(MemorySinkConfig config) {
        this.name = config.name();
    }

    @Override
    public synchronized WriteResult write(List<ReceivedValue> batch, boolean mayBeStored) {
        Map<Key, TagValue> fresh = new java.util.LinkedHashMap<>();
        int same = 0;
        int conflicting = 0;
        String example = null;
        for (ReceivedValue received : batch) {
            TagValue v = received.value();
            Key key = new Key(v.tagName(), v.sourceTime());
            TagValue before = stored.containsKey(key) ? stored.get(key) : fresh.get(key);
            if (before == null) {
                fresh.put(key, v);
            } else if (Objects.equals(before.value(), v.value()) && before.quality() == v.quality()) {
                same++;
            } else {
                conflicting++;
                example = example != null ? example : v + " against the stored " + before.value();
            }
        }
        stored.putAll(fresh);
        return new WriteResult(fresh.size(), same + conflicting, conflicting, List.of(),
                example == null ? null : "the stored values were kept, e.g. " + example);
    }

    @Override
    public void warmUp() {
        // Nothing to open.
    }

    @Override
    public void release() {
        // Nothing borrowed.
    }

    @Override
    public boolean needsMakeDurable() {
        return false;
    }

    @Override
    public boolean makeDurable() {
        return true;
    }

    @Override
    public SinkFailure classify(Throwable failure) {
        return new SinkFailure(FailureKind.TRANSIENT, new Diagnosis("MEMORY_FAILED", "the memory sink failed: "
                + "report the error", String.valueOf(failure)), String.valueOf(failure));
    }

    @Override
    public String destination() {
        return "memory";
    }

    @Override
    public String writerName() {
        return name;
    }

    @Override
    public String table() {
        return "memory";
    }

    @Override
    public StoreCheck check(Duration timeout) {
        return new StoreCheck(List.of(new StoreCheck.Step("the values are kept in memory", true, 0, "")));
    }

    @Override
    public long read(String tagNamePrefix, Consumer<TagValue> sink) throws SQLException {
        List<TagValue> matching = new ArrayList<>();
        stored.forEach((key, value) -> {
            if (key.tag().startsWith(tagNamePrefix)) {
                matching.add(value);
            }
        });
        matching.forEach(sink);
        return matching.size();
    }
}
