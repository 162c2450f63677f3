package io.tagbridge.simulator;

import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.IngestResult;
import io.tagbridge.api.TagIngest;

/** Publishes simulated values every 10 ms, spreading the configured rate evenly. */
@Component(name = SimulatorConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SimulatorConfig.class)
public class SimulatorComponent {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorComponent.class);
    private static final int TICKS_PER_SECOND = 100;

    private final ScheduledExecutorService ticker;

    @Activate
    public SimulatorComponent(@Reference TagIngest ingest, SimulatorConfig config) {
        if (!config.enabled()) {
            ticker = null;
            return;
        }
        int tags = config.tagCount();
        int rate = config.valuesPerSecond();
        if (tags < 1 || tags > 100_000 || rate < 1 || rate > 1_000_000) {
            LOG.error("Configuration {} rejected, the simulator does not run: tagCount must be 1..100000 (is {}), "
                    + "valuesPerSecond 1..1000000 (is {})", SimulatorConfig.PID, tags, rate);
            ticker = null;
            return;
        }
        SignalGenerator generator = new SignalGenerator(config.tagPrefix(), tags);
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tagbridge-simulator");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(new Runnable() {
            private long tick;

            /** A scheduled task that throws is never run again, silently: nothing may escape a tick. */
            @Override
            public void run() {
                try {
                    tick();
                } catch (Throwable e) { // NOPMD: the simulator must not stop without anyone knowing
                    LOG.error("Simulator: a tick failed and the simulator goes on with the next", e);
                }
            }

            private void tick() {
                int count = (int) ((tick + 1) * rate / TICKS_PER_SECOND - tick * rate / TICKS_PER_SECOND);
                tick++;
                if (count > 0) {
                    IngestResult result = ingest.offer(generator.next(count, Instant.now()));
                    if (!result.allAccepted()) {
                        LOG.debug("Simulator: {} values refused: {}", result.refused(), result.reason());
                    }
                }
            }
        }, 0, 1000 / TICKS_PER_SECOND, TimeUnit.MILLISECONDS);
        LOG.info("Simulator publishing {} values/s over {} tags", rate, tags);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
