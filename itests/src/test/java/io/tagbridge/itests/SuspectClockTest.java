package io.tagbridge.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

import io.tagbridge.api.IngestResult;
import io.tagbridge.api.Quality;
import io.tagbridge.api.RefusalReason;
import io.tagbridge.api.TagIngest;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.monitor.ComponentHealth;
import io.tagbridge.api.monitor.HealthStatus;
import io.tagbridge.api.monitor.MetricsSnapshot;
import io.tagbridge.api.monitor.PipelineMonitor;
import io.tagbridge.testkit.Await;

/**
 * The clock guard in the real buffer: a value from a device whose clock says 1970 is refused and named in health by
 * default, and with {@code clockPolicy=USE_RECEIVED_TIME} stored at the time it was received, marked UNCERTAIN,
 * while a value with a sound time in the same offer is stored as it came.
 */
@ExtendWith(ServiceExtension.class)
class SuspectClockTest {

    private static final Instant BOOTED_AT_1970 = Instant.parse("1970-01-01T00:00:05Z");

    @InjectService
    ConfigurationAdmin cm;

    @InjectService
    TagIngest ingest;

    @InjectService
    PipelineMonitor monitor;

    private final BundleContext context = FrameworkUtil.getBundle(SuspectClockTest.class).getBundleContext();

    /** Sets the buffer's clock policy and waits until the buffer has taken it. */
    private void clockPolicy(TestPipeline pipeline, String policy) throws Exception {
        pipeline.singleton("io.tagbridge.buffer", Map.of("clockPolicy", policy));
        ServiceReference<TagIngest> buffer = context.getServiceReference(TagIngest.class);
        Await.until("the buffer to take clockPolicy " + policy, TestPipeline.TIMEOUT,
                () -> String.valueOf(buffer.getProperty("clockPolicy")), policy::equals);
    }

    private MetricsSnapshot.Totals totals() {
        return Seen.metrics(monitor).totals();
    }

    @Test
    void anOfferWithAValueFrom1970IsRefusedAsClockSuspectCountedAndNamedInHealth() throws Exception {
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            clockPolicy(pipeline, "REFUSE");
            pipeline.pool("clock");
            pipeline.writer("clock", "clock", "CLOCK_VALUES", Map.of());
            long before = totals().refused().getOrDefault(RefusalReason.CLOCK_SUSPECT, 0L);

            IngestResult result = Seen.offer(ingest, List.of(TagValue.of("dev.boot", BOOTED_AT_1970, 1.0,
                    Quality.GOOD), TagValue.of("dev.ok", Instant.now(), 2.0, Quality.GOOD)));

            assertThat(result.refused()).isEqualTo(2);
            assertThat(result.reasonCode()).isEqualTo(RefusalReason.CLOCK_SUSPECT);
            assertThat(result.reason()).contains("dev.boot at 1970-01-01T00:00:05Z");
            assertThat(totals().refused().get(RefusalReason.CLOCK_SUSPECT)).isEqualTo(before + 2);
            ComponentHealth buffer = Seen.health(monitor).components().get("buffer");
            assertThat(buffer.reason()).isEqualTo("CLOCK_SUSPECT");
            assertThat(buffer.status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(buffer.advice()).contains("dev.boot", "refused");

            HttpResponse<String> posted = Operator.http().postJson("/api/buffer/values", """
                    [{"tagName":"dev.post","sourceTime":"1970-01-01T00:00:07Z","value":1.5}]""");
            assertThat(posted.statusCode()).as("sending again cannot help").isEqualTo(422);
            assertThat(posted.headers().firstValue("Retry-After")).isEmpty();
            assertThat(posted.body()).contains("\"reasonCode\":\"CLOCK_SUSPECT\"", "dev.post");
            assertThat(totals().refused().get(RefusalReason.CLOCK_SUSPECT)).isEqualTo(before + 3);
        }
    }

    @Test
    void withUseReceivedTimeSuspectValuesAreStoredAtTheirReceivedTimeMarkedUncertainAndCounted() throws Exception {
        try (TestPipeline pipeline = new TestPipeline(cm)) {
            try {
                clockPolicy(pipeline, "USE_RECEIVED_TIME");
                pipeline.pool("received");
                pipeline.writer("received", "received", "RECEIVED_VALUES", Map.of());
                DataSource db = pipeline.dataSource("received");
                long before = totals().valuesClockSuspect();
                Instant sound = Instant.parse("2026-03-01T08:00:00Z");

                Instant offeredFrom = Instant.now();
                IngestResult result = Seen.offer(ingest, List.of(new TagValue("dev.t", BOOTED_AT_1970, 1.0,
                        Quality.of(0xC1)), new TagValue("dev.t", BOOTED_AT_1970.plusSeconds(1), 2.0,
                        Quality.of(0xC2)), new TagValue("dev.t", sound, 3.0, Quality.GOOD)));
                Instant offeredUntil = Instant.now();

                assertThat(result.allAccepted()).isTrue();
                Await.until("the three rows", TestPipeline.TIMEOUT, () -> TestPipeline.rows(db, "RECEIVED_VALUES"),
                        n -> n == 3);
                List<Object[]> rows = rows(db);
                assertThat(rows.get(0)).containsExactly(sound, 192, 3.0);
                assertThat(rows.subList(1, 3)).allSatisfy(row -> assertThat((Instant) row[0])
                        .isBetween(offeredFrom.minusMillis(1), offeredUntil.plusMillis(1)));
                assertThat(rows.subList(1, 3)).extracting(row -> row[1]).containsExactly(0x41, 0x42);
                assertThat(totals().valuesClockSuspect()).isEqualTo(before + 2);
                assertThat(Seen.health(monitor).components().get("buffer").advice()).contains("dev.t",
                        "received time");
            } finally {
                clockPolicy(pipeline, "REFUSE");
            }
        }
    }

    /** Tag dev.t's rows by source time (stored as UTC): the time, the quality code and the value. */
    private static List<Object[]> rows(DataSource db) throws Exception {
        List<Object[]> rows = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT SOURCE_TIME, QUALITY, NUM_VALUE FROM RECEIVED_VALUES "
                        + "WHERE TAG_NAME = 'dev.t' ORDER BY SOURCE_TIME")) {
            while (rs.next()) {
                Instant t = rs.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC);
                rows.add(new Object[] { t, rs.getInt(2), rs.getDouble(3) });
            }
        }
        return rows;
    }
}
