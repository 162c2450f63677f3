package io.tagbridge.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.tagbridge.api.IngestResult;
import io.tagbridge.api.Quality;
import io.tagbridge.api.TagIngest;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.monitor.MetricsSnapshot;
import io.tagbridge.api.monitor.PipelineMonitor;
import io.tagbridge.testkit.Await;

/**
 * The deadband at the door of the running buffer, configured as an operator does: for a known signal, exactly the
 * rows a deadband with a heartbeat should keep reach the database, and every value offered is counted accepted or
 * filtered.
 */
@ExtendWith({ BundleContextExtension.class, ServiceExtension.class })
class DeadbandSignalTest {

    private static final String[] RULES = { "band.pressure=10%", "band.*=0.5" };

    @InjectService
    ConfigurationAdmin cm;

    @InjectService
    TagIngest ingest;

    @InjectService
    PipelineMonitor monitor;

    @InjectBundleContext
    BundleContext context;

    private final Instant base = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    private final List<TagValue> signal = new ArrayList<>();

    private void add(String tag, int second, Object value, Quality quality) {
        signal.add(new TagValue(tag, base.plusSeconds(second), value, quality));
    }

    @Test
    void aKnownSignalStoresExactlyTheRowsItsDeadbandAndHeartbeatKeepAndCountsTheRestFiltered() throws Exception {
        double[] temp = { 20.0, 20.2, 20.4, 20.6, 20.7, 21.0, 21.2 };
        for (int s = 0; s < temp.length; s++) {
            add("band.temp", s, temp[s], Quality.GOOD);
        }
        add("band.temp", 7, 21.2, Quality.BAD);
        add("band.temp", 8, 20.0, Quality.GOOD);
        long[] pressure = { 100, 105, 111, 111, 0, 0, 3 };
        for (int s = 0; s < pressure.length; s++) {
            add("band.pressure", s, pressure[s], Quality.GOOD);
        }
        String[] state = { "RUN", "RUN", "STOP", "STOP" };
        for (int s = 0; s < state.length; s++) {
            add("band.state", s, state[s], Quality.GOOD);
        }
        for (int s = 0; s <= 24; s += 3) {
            add("band.flat", s, 1.0, Quality.GOOD);
        }

        try (TestPipeline pipeline = new TestPipeline(cm)) {
            pipeline.pool("band");
            pipeline.writer("band", "band", "BAND_VALUES", Map.of());
            pipeline.singleton("io.tagbridge.buffer", Map.of("deadband", RULES, "deadbandHeartbeatSeconds", 10L));
            try {
                ServiceReference<TagIngest> door = context.getServiceReference(TagIngest.class);
                Await.until("the buffer working with the deadband", TestPipeline.TIMEOUT,
                        () -> List.of((String[]) door.getProperty("deadband")), rules -> rules.equals(List.of(RULES)));
                MetricsSnapshot.Totals before = Seen.metrics(monitor).totals();

                int accepted = 0;
                int filtered = 0;
                for (TagValue v : signal) {
                    IngestResult result = ingest.offer(List.of(v));
                    assertThat(result.allAccepted()).as(result.reason()).isTrue();
                    accepted += result.accepted();
                    filtered += result.filtered();
                }

                assertThat(accepted).isEqualTo(14);
                assertThat(filtered).isEqualTo(15);
                DataSource db = pipeline.dataSource("band");
                Await.until("the kept values stored", TestPipeline.TIMEOUT, () -> TestPipeline.rows(db, "BAND_VALUES"),
                        n -> n >= 14);
                assertThat(rows(db)).containsExactly(
                        "band.flat +0 1 192", "band.flat +12 1 192", "band.flat +24 1 192",
                        "band.pressure +0 100 192", "band.pressure +2 111 192", "band.pressure +4 0 192",
                        "band.pressure +6 3 192",
                        "band.state +0 RUN 192", "band.state +2 STOP 192",
                        "band.temp +0 20 192", "band.temp +3 20.6 192", "band.temp +6 21.2 192",
                        "band.temp +7 21.2 0", "band.temp +8 20 192");
                MetricsSnapshot.Totals after = Seen.metrics(monitor).totals();
                assertThat(after.valuesFiltered() - before.valuesFiltered()).isEqualTo(15);
                assertThat(after.valuesOffered() - before.valuesOffered()).isEqualTo(29);
                assertThat(after.valuesAccepted() - before.valuesAccepted()).isEqualTo(14);
                assertThat(after.valuesOffered()).isEqualTo(after.valuesAccepted() + after.valuesRefused()
                        + after.valuesFiltered());
                assertThat(Http.anonymous().get("/api/buffer/writer/metrics").body()).contains("\"valuesFiltered\":");
                assertThat(Seen.health(monitor).components().get("buffer").details()).containsKey("valuesFiltered");
            } finally {
                pipeline.singleton("io.tagbridge.buffer", Map.of("deadband", new String[0]));
            }
        }
    }

    /** Each stored row as "tag +seconds value quality", in tag and time order. */
    private List<String> rows(DataSource db) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("SELECT TAG_NAME, "
                + "SOURCE_TIME, NUM_VALUE, STR_VALUE, QUALITY FROM BAND_VALUES ORDER BY TAG_NAME, SOURCE_TIME");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                long second = rs.getObject(2, LocalDateTime.class).toEpochSecond(ZoneOffset.UTC)
                        - base.getEpochSecond();
                String value = rs.getString(4) != null ? rs.getString(4)
                        : rs.getBigDecimal(3).stripTrailingZeros().toPlainString();
                rows.add(rs.getString(1) + " +" + second + " " + value + " " + rs.getInt(5));
            }
        }
        return rows;
    }
}
