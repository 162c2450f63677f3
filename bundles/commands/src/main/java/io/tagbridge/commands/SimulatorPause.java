package io.tagbridge.commands;

import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Keeps the simulated driver quiet while a load test runs, so that only the test's values flow, and lets it
 * run again afterwards. It goes through Declarative Services' runtime API, whatever the simulator's
 * configuration says.
 */
final class SimulatorPause implements AutoCloseable {

    /** The simulator's component name, which is also its configuration PID. */
    static final String COMPONENT = "io.tagbridge.simulator";

    private final ServiceComponentRuntime runtime;
    private final List<ComponentDescriptionDTO> paused = new ArrayList<>();

    SimulatorPause(ServiceComponentRuntime runtime) throws InterruptedException {
        this.runtime = runtime;
        if (runtime == null) {
            return;
        }
        for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs()) {
            if (COMPONENT.equals(description.name) && runtime.isComponentEnabled(description)) {
                try {
                    runtime.disableComponent(description).getValue();
                } catch (java.lang.reflect.InvocationTargetException e) {
                    throw new IllegalStateException("could not pause the simulator: " + e.getCause(), e);
                }
                paused.add(description);
            }
        }
    }

    boolean pausedAny() {
        return !paused.isEmpty();
    }

    @Override
    public void close() {
        paused.forEach(runtime::enableComponent);
    }
}
