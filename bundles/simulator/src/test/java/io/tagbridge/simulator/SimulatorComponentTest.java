package io.tagbridge.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.tagbridge.api.IngestResult;
import io.tagbridge.api.TagIngest;
import io.tagbridge.api.TagValue;
import io.tagbridge.testkit.Await;

class SimulatorComponentTest {

    /** The simulator's configuration as Declarative Services gives it with nothing configured. */
    private static SimulatorConfig defaults() {
        return (SimulatorConfig) Proxy.newProxyInstance(SimulatorConfig.class.getClassLoader(),
                new Class<?>[] { SimulatorConfig.class }, (proxy, method, args) -> method.getDefaultValue());
    }

    @Test
    void aTickThatEndsWithAnErrorIsLoggedAndTheSimulatorGoesOnWithTheNext() throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        AtomicInteger offeredAfter = new AtomicInteger();
        TagIngest ingest = new TagIngest() {
            @Override
            public IngestResult offer(TagValue value) {
                return offer(List.of(value));
            }

            @Override
            public IngestResult offer(List<TagValue> values) {
                if (ticks.getAndIncrement() == 0) {
                    throw new Error("an error no one expected, in a test");
                }
                offeredAfter.addAndGet(values.size());
                return IngestResult.accepted(values.size());
            }
        };

        SimulatorComponent simulator = new SimulatorComponent(ingest, defaults());
        try {
            Await.until("values offered after the failed tick", Duration.ofSeconds(10), offeredAfter::get,
                    n -> n >= 100);
            assertThat(ticks.get()).isGreaterThan(1);
        } finally {
            simulator.deactivate();
        }
    }
}
