package io.tagbridge.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

import io.tagbridge.api.TagIngest;
import io.tagbridge.api.monitor.ComponentHealth;
import io.tagbridge.api.monitor.PipelineMonitor;
import io.tagbridge.testkit.Await;

/** No Tagbridge thread ends without anyone knowing: a writer killed by an Error shows in health and comes back. */
@ExtendWith(ServiceExtension.class)
class LifelineTest {

    @InjectService
    ConfigurationAdmin cm;

    @InjectService
    TagIngest ingest;

    @InjectService
    PipelineMonitor monitor;

    private final BundleContext context = FrameworkUtil.getBundle(LifelineTest.class).getBundleContext();

    @Test
    void aWriterThreadKilledByAnErrorShowsDownInHealthAndComesBackLosingNothing() throws Exception {
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            pipeline.pool("lifelinedb");
            DataSource db = pipeline.dataSource("lifelinedb");
            AtomicBoolean fault = new AtomicBoolean();
            ServiceRegistration<DataSource> faulty = context.registerService(DataSource.class, failing(db, fault),
                    FrameworkUtil.asDictionary(Map.of("name", "lifeline")));
            try {
                pipeline.writer("lifeline", "lifeline", "LIFELINE_VALUES", Map.of());
                Seen.offer(ingest, TestPipeline.values("lifeline.a", 0, 500));
                Await.until("the first values", TestPipeline.TIMEOUT,
                        () -> TestPipeline.rows(db, "LIFELINE_VALUES"), n -> n == 500);

                fault.set(true);
                Seen.offer(ingest, TestPipeline.values("lifeline.b", 0, 500));
                ComponentHealth down = Await.until("health to show the dead thread", TestPipeline.TIMEOUT,
                        () -> Seen.health(monitor).targets().get("lifeline"), h -> h.reason().equals("THREAD_DIED"));

                assertThat(down.status().name()).isEqualTo("DOWN");
                assertThat(down.error()).contains("StackOverflowError", "injected by LifelineTest");
                Await.until("the writer to write again", TestPipeline.TIMEOUT,
                        () -> Seen.health(monitor).targets().get("lifeline"), h -> h.state().equals("WRITING"));
                Await.until("every value once", TestPipeline.TIMEOUT,
                        () -> TestPipeline.rows(db, "LIFELINE_VALUES"), n -> n == 1000);
                assertThat(TestPipeline.distinctKeys(db, "LIFELINE_VALUES")).isEqualTo(1000);
            } finally {
                faulty.unregister();
            }
        }
    }

    /** The pool's data source, but the next batch sent after {@code fault} is set fails with an Error. */
    private static DataSource failing(DataSource real, AtomicBoolean fault) {
        return wrap(DataSource.class, real, fault);
    }

    /** Wraps a JDBC object and the JDBC objects it hands out, so that a batch deep inside can be made to fail. */
    private static <T> T wrap(Class<T> type, T real, AtomicBoolean fault) {
        return type.cast(Proxy.newProxyInstance(LifelineTest.class.getClassLoader(), new Class<?>[] { type },
                (proxy, method, args) -> {
                    if (method.getName().equals("executeBatch") && fault.getAndSet(false)) {
                        throw new StackOverflowError("injected by LifelineTest");
                    }
                    Object result;
                    try {
                        result = method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    Class<?> returned = method.getReturnType();
                    return result != null && returned.isInterface() && returned.getPackageName().equals("java.sql")
                            ? wrap(castable(returned), result, fault) : result;
                }));
    }

    @SuppressWarnings("unchecked")
    private static <T> Class<T> castable(Class<?> type) {
        return (Class<T>) type;
    }
}
