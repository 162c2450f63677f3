package io.tagbridge.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.apache.felix.service.command.CommandProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.tagbridge.api.IngestResult;
import io.tagbridge.api.TagIngest;
import io.tagbridge.api.TagValue;

/** The operator's commands as they run in a gateway's Gogo console, against the real pipeline. */
@ExtendWith({ BundleContextExtension.class, ServiceExtension.class })
class CommandsTest {

    @InjectService
    ConfigurationAdmin cm;

    @InjectService
    CommandProcessor gogo;

    @InjectService
    TagIngest ingest;

    @InjectBundleContext
    BundleContext context;

    TestPipeline pipeline;

    @BeforeEach
    void setUp() throws Exception {
        pipeline = new TestPipeline(cm);
        pipeline.pool("commands");
    }

    @AfterEach
    void tearDown() throws Exception {
        pipeline.close();
    }

    @Test
    void loadOffersAtTheRateWritesEveryValueOnceAndSaysSo() throws Exception {
        pipeline.writer("commands", "commands", "LOAD_VALUES", Map.of());
        DataSource db = pipeline.dataSource("commands");

        Gogo.Run run = run("tagbridge:load --rate 2000 --duration 2 --tags 20 --json");

        JsonNode report = run.json();
        assertThat(run.result()).as(run.output()).isEqualTo(0);
        assertThat(report.get("offered").asLong()).isEqualTo(4000);
        assertThat(report.get("accepted").asLong()).isEqualTo(4000);
        assertThat(report.get("written").asLong() + report.get("backedUp").asLong()).isEqualTo(4000);
        assertThat(report.get("unaccounted").asLong()).isZero();
        assertThat(report.get("duplicates").asLong()).isZero();
        assertThat(report.get("passed").asBoolean()).isTrue();
        assertThat(report.get("sourceToCommitP99Ms").asDouble()).isPositive();
        assertThat(TestPipeline.rows(db, "LOAD_VALUES")).isEqualTo(report.get("written").asLong());
    }

    @Test
    void loadFailsWhenThePipelineLosesOneValue() throws Exception {
        pipeline.writer("commands", "commands", "LOSSY_VALUES", Map.of());
        ServiceRegistration<TagIngest> lossy = context.registerService(TagIngest.class, new DropsOneValue(ingest),
                FrameworkUtil.asDictionary(Map.of(Constants.SERVICE_RANKING, 1000)));
        Gogo.Run run;
        try {
            run = run("tagbridge:load --rate 1000 --duration 1 --json");
        } finally {
            lossy.unregister();
        }

        JsonNode report = run.json();
        assertThat(report.get("accepted").asLong()).isEqualTo(1000);
        assertThat(report.get("unaccounted").asLong()).as(run.output()).isEqualTo(1);
        assertThat(report.get("passed").asBoolean()).isFalse();
        assertThat(run.result()).isEqualTo(1);
    }

    @Test
    void testConnectionPassesWhenTheWriterCanWriteItsTable() throws Exception {
        pipeline.writer("commands", "commands", "CHECKED_VALUES", Map.of());

        Gogo.Run run = run("tagbridge:testconnection --timeout 10");

        assertThat(run.result()).as(run.output()).isEqualTo(0);
        assertThat(run.output()).contains("PASSED: writer commands can write to CHECKED_VALUES")
                .contains("a test row was written to CHECKED_VALUES and rolled back");
        assertThat(TestPipeline.rows(pipeline.dataSource("commands"), "CHECKED_VALUES")).isZero();
    }

    @Test
    void testConnectionNamesTheStepAndTheSettingWhenTheTableIsMissing() throws Exception {
        pipeline.writer("commands", "commands", "NOT_THERE", Map.of("createTable", false));

        Gogo.Run run = run("tagbridge:testconnection --timeout 10");

        assertThat(run.result()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).contains("FAILED: writer commands cannot write (step 'table')")
                .contains("turn createTable on");
    }

    private Gogo.Run run(String command) throws Exception {
        return Gogo.run(gogo, command);
    }

    /** Accepts every offer, and quietly forwards all but the 500th value: a pipeline that loses one. */
    private static final class DropsOneValue implements TagIngest {
        private final TagIngest real;
        private final AtomicBoolean dropped = new AtomicBoolean();
        private long seen;

        DropsOneValue(TagIngest real) {
            this.real = real;
        }

        public IngestResult offer(TagValue value) {
            return offer(List.of(value));
        }

        public synchronized IngestResult offer(List<TagValue> values) {
            List<TagValue> forwarded = new ArrayList<>(values);
            if (seen + values.size() >= 500 && dropped.compareAndSet(false, true)) {
                forwarded.remove((int) (499 - seen));
            }
            seen += values.size();
            IngestResult result = real.offer(forwarded);
            return result.allAccepted() ? IngestResult.accepted(values.size()) : result;
        }
    }
}
