package io.tagbridge.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class EtcFileFormatTest {

    @Test
    void aChangedValueIsReplacedOnItsLineWithCommentsAndOrderKept() {
        List<String> file = List.of("# the plant's line 1", "name=default", "batchSize = 500", "", "retryMax=3");
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("name", "default");
        settings.put("batchSize", "100");
        settings.put("retryMax", "3");

        assertThat(EtcFileFormat.merged(file, settings)).containsExactly("# the plant's line 1", "name=default",
                "batchSize=100", "", "retryMax=3");
    }

    @Test
    void aNewSettingIsAppendedAndARemovedOneDropped() {
        List<String> file = List.of("name=default", "tagFilter=line1.*");
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("name", "default");
        settings.put("writeMode", "MERGE");

        assertThat(EtcFileFormat.merged(file, settings)).containsExactly("name=default", "writeMode=MERGE");
    }

    @Test
    void aFileThatAlreadySaysItIsLeftAsTyped() {
        List<String> file = List.of("batchSize : 500", "password=ENC(abc)");

        assertThat(EtcFileFormat.merged(file, Map.of("batchSize", "500", "password", "ENC(abc)"))).isEqualTo(file);
    }
}
