package io.tagbridge.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.tagbridge.api.IngestResult;
import io.tagbridge.api.TagIngest;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.monitor.PipelineMonitor;
import io.tagbridge.testkit.Await;

@ExtendWith({ BundleContextExtension.class, ServiceExtension.class })
class PipelineTest {

    @InjectService
    ConfigurationAdmin cm;

    @InjectService
    TagIngest ingest;

    @InjectService
    PipelineMonitor monitor;

    @InjectBundleContext
    BundleContext context;

    TestPipeline pipeline;

    @BeforeEach
    void setUp() throws Exception {
        pipeline = new TestPipeline(cm);
    }

    @AfterEach
    void tearDown() throws Exception {
        pipeline.close();
    }

    @Test
    void everyValuePublishedThroughTheIngestServiceArrivesInTheDatabaseOnce() throws Exception {
        pipeline.pool("pipeline");
        pipeline.writer("pipeline", "pipeline", "PIPELINE_VALUES", Map.of());
        DataSource db = pipeline.dataSource("pipeline");
        List<TagValue> values = TestPipeline.values("line1.", 0, 10_000);

        for (int i = 0; i < values.size(); i += 100) {
            IngestResult result = Seen.offer(ingest, values.subList(i, i + 100));
            assertThat(result.allAccepted()).as(result.reason()).isTrue();
        }

        Await.until("10,000 rows in PIPELINE_VALUES", TestPipeline.TIMEOUT,
                () -> TestPipeline.rows(db, "PIPELINE_VALUES"), n -> n >= 10_000);
        assertThat(TestPipeline.rows(db, "PIPELINE_VALUES")).isEqualTo(10_000);
        assertThat(TestPipeline.distinctKeys(db, "PIPELINE_VALUES")).isEqualTo(10_000);
        assertThat(pipeline.backedUpKeys()).isEmpty();
        assertThat(Seen.metrics(monitor).writeSuccessCount()).isPositive();
    }

    @Test
    void valuesHandedOverTwiceAreStoredOnceByDefault() throws Exception {
        pipeline.pool("twice");
        pipeline.writer("twice", "twice", "TWICE_VALUES", Map.of());
        DataSource db = pipeline.dataSource("twice");
        List<TagValue> values = TestPipeline.values("replayed.", 0, 1_000);

        Seen.offer(ingest, values);
        Await.until("1,000 rows", TestPipeline.TIMEOUT, () -> TestPipeline.rows(db, "TWICE_VALUES", "replayed."),
                n -> n >= 1_000);
        long batchesBefore = Seen.metrics(monitor).writeSuccessCount();
        Seen.offer(ingest, values);
        Await.until("the second copy to be written (two batches of 500 at least)", TestPipeline.TIMEOUT,
                () -> Seen.metrics(monitor).writeSuccessCount(), n -> n >= batchesBefore + 2);

        // The writer takes every tag: count this test's. What else came is named, should it ever be a copy.
        assertThat(TestPipeline.rows(db, "TWICE_VALUES", "replayed."))
                .as("rows of this test's tags; rows of other tags: %s", TestPipeline.otherTags(db, "TWICE_VALUES",
                        "replayed."))
                .isEqualTo(1_000);
        assertThat(pipeline.backedUpKeys()).isEmpty();
    }

    @Test
    void operatorFormsCarryTheSeedsDefaultsAndHideThePassword() {
        Map<String, AttributeDefinition> writer = attributes("io.tagbridge.sink-jdbc", "io.tagbridge.writer");
        assertThat(writer.get("batchSize").getDefaultValue()).containsExactly("500");
        assertThat(writer.get("writeIntervalSeconds").getDefaultValue()).containsExactly("0.5");
        assertThat(writer.get("retryMax").getDefaultValue()).containsExactly("3");
        assertThat(writer.get("retryDelaySeconds").getDefaultValue()).containsExactly("1.0");

        Map<String, AttributeDefinition> pool = attributes("io.tagbridge.pool", "io.tagbridge.oracle.pool");
        assertThat(pool.get("poolMin").getDefaultValue()).containsExactly("2");
        assertThat(pool.get("poolMax").getDefaultValue()).containsExactly("5");
        assertThat(pool.get("port").getDefaultValue()).containsExactly("1521");
        assertThat(pool.get("password").getType()).isEqualTo(AttributeDefinition.PASSWORD);

        Map<String, AttributeDefinition> backup = attributes("io.tagbridge.backup", "io.tagbridge.backup");
        assertThat(backup.get("directory").getDefaultValue()).containsExactly("./backup");
    }

    private Map<String, AttributeDefinition> attributes(String bsn, String pid) {
        Bundle bundle = Arrays.stream(context.getBundles()).filter(b -> b.getSymbolicName().equals(bsn)).findFirst()
                .orElseThrow();
        MetaTypeService metaType = context.getService(context.getServiceReference(MetaTypeService.class));
        ObjectClassDefinition ocd = metaType.getMetaTypeInformation(bundle).getObjectClassDefinition(pid, null);
        return Arrays.stream(ocd.getAttributeDefinitions(ObjectClassDefinition.ALL))
                .collect(Collectors.toMap(AttributeDefinition::getID, Function.identity()));
    }
}
