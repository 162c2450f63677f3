package io.tagbridge.commands;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The services a command uses, looked up when it runs: on the command line the command starts while the
 * gateway's components are still coming up, so it waits for them, a bounded time.
 */
final class Services implements AutoCloseable {

    private final BundleContext context;
    private final Map<Class<?>, ServiceTracker<?, ?>> trackers = new HashMap<>();

    Services(BundleContext context) {
        this.context = context;
    }

    /** The service, waiting up to {@code timeout} for it; null if it did not appear. */
    <T> T await(Class<T> type, Duration timeout) throws InterruptedException {
        return tracker(type).waitForService(Math.max(1, timeout.toMillis()));
    }

    /** The services of a type now registered, ordered by their {@code name} property. */
    <T> List<T> all(Class<T> type) {
        ServiceTracker<T, T> tracker = tracker(type);
        List<ServiceReference<T>> references = new ArrayList<>(tracker.getTracked().keySet());
        references.sort(Comparator.comparing(r -> String.valueOf(r.getProperty("name"))));
        return references.stream().map(tracker::getService).filter(s -> s != null).toList();
    }

    /** The properties of the services of a type, without using the services. */
    List<Map<String, Object>> properties(Class<?> type) {
        List<Map<String, Object>> found = new ArrayList<>();
        for (ServiceReference<?> reference : tracker(type).getTracked().keySet()) {
            found.add(FrameworkUtil.asMap(reference.getProperties()));
        }
        found.sort(Comparator.comparing(p -> String.valueOf(p.get("name"))));
        return found;
    }

    BundleContext context() {
        return context;
    }

    @SuppressWarnings("unchecked")
    private synchronized <T> ServiceTracker<T, T> tracker(Class<T> type) {
        return (ServiceTracker<T, T>) trackers.computeIfAbsent(type, t -> {
            ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
            tracker.open();
            return tracker;
        });
    }

    @Override
    public synchronized void close() {
        trackers.values().forEach(ServiceTracker::close);
        trackers.clear();
    }
}
