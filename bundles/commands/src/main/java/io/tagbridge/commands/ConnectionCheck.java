package io.tagbridge.commands;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import io.tagbridge.api.monitor.ComponentHealth;
import io.tagbridge.api.monitor.HealthReport;
import io.tagbridge.api.monitor.PipelineMonitor;
import io.tagbridge.api.pipeline.StoreCheck;
import io.tagbridge.api.pipeline.StoreCheck.Step;
import io.tagbridge.api.pipeline.TagStore;

/**
 * {@code test-connection}: checks every running writer's pool and table, and says in an operator's words what
 * to fix. It never hangs: each writer's check is given up after the timeout.
 */
final class ConnectionCheck {

    static final String USAGE = "test-connection [--timeout <seconds>]";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** Writers configured in ./etc start a moment after the first one; give them this long to appear. */
    private static final Duration LATE_WRITERS = Duration.ofSeconds(2);

    private final Services services;
    private final PrintStream out;

    ConnectionCheck(Services services, PrintStream out) {
        this.services = services;
        this.out = out;
    }

    static Duration timeout(List<String> args) throws UsageException {
        if (args.isEmpty()) {
            return DEFAULT_TIMEOUT;
        }
        if (args.size() == 2 && "--timeout".equals(args.get(0))) {
            try {
                int seconds = Integer.parseInt(args.get(1));
                if (seconds >= 1 && seconds <= 3600) {
                    return Duration.ofSeconds(seconds);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new UsageException("--timeout must be a whole number of seconds from 1 to 3600, not '"
                    + args.get(1) + "'");
        }
        throw new UsageException("unknown arguments " + args);
    }

    /** Returns true when every writer can write to its table. */
    boolean run(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (services.await(TagStore.class, timeout) == null) {
            noWriter(timeout);
            return false;
        }
        Thread.sleep(LATE_WRITERS.toMillis());
        for (Map<String, Object> pool : services.properties(DataSource.class)) {
            out.println("Pool " + pool.get("name") + ": " + pool.getOrDefault("tagbridge.url", "?"));
        }
        boolean passed = true;
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tagbridge-test-connection");
            t.setDaemon(true);
            return t;
        });
        try {
            for (TagStore store : services.all(TagStore.class)) {
                long left = Math.max(TimeUnit.SECONDS.toNanos(1), deadline - System.nanoTime());
                passed &= check(executor, store, Duration.ofNanos(left));
            }
        } finally {
            executor.shutdownNow();
        }
        return passed;
    }

    private boolean check(ExecutorService executor, TagStore store, Duration timeout) throws InterruptedException {
        out.println("Writer " + store.writerName() + " -> table " + store.table());
        Future<StoreCheck> running = executor.submit(() -> store.check(timeout));
        StoreCheck check;
        try {
            check = running.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            running.cancel(true);
            out.println("FAILED: writer " + store.writerName() + ": the database gave no answer within "
                    + timeout.toSeconds() + " s. The host may drop packets (a firewall) or the database hangs: "
                    + "check host and port (or url), and the pool's connectTimeoutSeconds and readTimeoutSeconds");
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            out.println("FAILED: writer " + store.writerName() + ": the check itself failed: " + e.getCause());
            return false;
        }
        for (Step step : check.steps()) {
            out.println(String.format(Locale.ROOT, "  %-4s  %-10s %6d ms  %s", step.passed() ? "ok" : "FAIL",
                    step.name(), step.millis(), step.detail()));
        }
        Optional<Step> failed = check.failure();
        if (failed.isEmpty()) {
            out.println("PASSED: writer " + store.writerName() + " can write to " + store.table());
            return true;
        }
        out.println("FAILED: writer " + store.writerName() + " cannot write (step '" + failed.get().name() + "'): "
                + failed.get().detail());
        return false;
    }

    private void noWriter(Duration timeout) throws InterruptedException {
        out.println("FAILED: no writer is running after " + timeout.toSeconds() + " s, so there is nothing to test.");
        if (services.properties(DataSource.class).isEmpty()) {
            out.println("  No pool is running: the pool's configuration was rejected (see the log line "
                    + "'Configuration io.tagbridge.oracle.pool~... rejected' above) or no pool instance exists. "
                    + "Check ./etc/io.tagbridge.oracle.pool-<name>.cfg");
        }
        PipelineMonitor monitor = services.await(PipelineMonitor.class, Duration.ofSeconds(1));
        if (monitor != null) {
            HealthReport health = monitor.health();
            Map<String, ComponentHealth> parts = new java.util.LinkedHashMap<>(health.components());
            health.targets().forEach((name, target) -> parts.put("target " + name, target));
            for (Map.Entry<String, ComponentHealth> part : parts.entrySet()) {
                if (part.getValue().status() != io.tagbridge.api.monitor.HealthStatus.UP) {
                    out.println("  " + part.getKey() + ": " + part.getValue().advice());
                }
            }
        }
        out.println("  A writer runs once its pool runs and its configuration is valid: check "
                + "./etc/io.tagbridge.writer-<name>.cfg and its dataSource.target");
    }
}
