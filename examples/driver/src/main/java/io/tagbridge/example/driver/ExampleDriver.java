package io.tagbridge.example.driver;

import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.IngestResult;
import io.tagbridge.api.Quality;
import io.tagbridge.api.TagIngest;
import io.tagbridge.api.TagValue;

/**
 * A driver as Tagbridge wants one: it reads its sensor on its own schedule, never blocks on Tagbridge, and keeps
 * every reading Tagbridge refuses (no writer configured yet, buffer full, bundle being updated) to offer it again
 * on the next reading. Runs only when configured, so that installing it writes nothing by surprise.
 */
@Component(configurationPid = ExampleDriverConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ExampleDriverConfig.class)
public class ExampleDriver {

    private static final Logger LOG = LoggerFactory.getLogger(ExampleDriver.class);

    /** Optional and dynamic: the driver keeps reading while Tagbridge's buffer is away, and holds what it reads. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TagIngest ingest;

    private final String tag;
    private final long readings;
    private final boolean durable;
    private final Outbox outbox;
    private final SourceClock sourceClock = new SourceClock(Instant::now);
    private final ScheduledExecutorService reader;
    private long read;
    private String lastRefusal;

    @Activate
    public ExampleDriver(ExampleDriverConfig config) {
        this.tag = config.tag();
        this.readings = config.readings();
        this.durable = config.durable();
        this.outbox = new Outbox(Math.max(1, config.maxHeld()));
        this.reader = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "example-driver-" + tag));
        long periodMicros = 1_000_000L / Math.max(1, config.readingsPerSecond());
        reader.scheduleAtFixedRate(this::readAndOffer, 0, periodMicros, TimeUnit.MICROSECONDS);
    }

    private void readAndOffer() {
        try {
            if (readings == 0 || read < readings) {
                outbox.add(TagValue.of(tag, sourceClock.next(), sensor(read), Quality.GOOD));
                read++;
            }
            offerHeld();
        } catch (RuntimeException e) {
            // A scheduled task that throws never runs again: log, and keep reading.
            LOG.error("Example driver {}: reading {} failed", tag, read, e);
        }
    }

    private void offerHeld() {
        TagIngest current = ingest;
        if (current == null || outbox.size() == 0) {
            return;
        }
        if (durable) {
            offerDurably(current);
        } else {
            noteAnswer(outbox.offerTo(current));
        }
    }

    /**
     * Hands the oldest readings over and goes on reading: Tagbridge answers once they are on disk, and the answer
     * is taken on the reading thread, which alone touches the outbox.
     */
    private void offerDurably(TagIngest current) {
        CompletionStage<IngestResult> answer = outbox.offerDurablyTo(current);
        if (answer != null) {
            answer.thenAccept(result -> reader.execute(() -> noteAnswer(outbox.answered(result))));
        }
    }

    private void noteAnswer(IngestResult refusal) {
        String now = refusal == null ? null : refusal.reasonCode() + ": " + refusal.reason();
        if (now != null && !now.equals(lastRefusal)) {
            LOG.warn("Example driver {}: Tagbridge refuses readings ({}); {} held, offered again with the next "
                    + "reading", tag, now, outbox.size());
        } else if (now == null && lastRefusal != null) {
            LOG.info("Example driver {}: Tagbridge takes readings again", tag);
        }
        lastRefusal = now;
        if (outbox.dropped() > 0 && refusal != null) {
            LOG.warn("Example driver {}: {} readings dropped so far: more were held than Readings held allows",
                    tag, outbox.dropped());
        }
    }

    /** The made-up sensor: a slow sine wave. */
    private static double sensor(long n) {
        return 20 + 5 * Math.sin(n / 50.0);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        reader.shutdown();
        reader.awaitTermination(5, TimeUnit.SECONDS);
        if (outbox.size() > 0) {
            LOG.warn("Example driver {} stopped with {} readings Tagbridge had not taken", tag, outbox.size());
        }
    }
}
