package io.tagbridge.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.stream.Stream;

import org.apache.felix.cm.file.FilePersistenceManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableConfigurationFilesTest {

    @TempDir
    Path folder;

    @Test
    void whatIsStoredHereFelixsOwnManagerFindsUnderItsOwnNameForEveryKindOfPid() throws Exception {
        DurableConfigurationFiles store = new DurableConfigurationFiles(folder);
        List<String> pids = List.of("io.tagbridge.writer~default", "org.apache.felix.http", "plant/line-1 a_b",
                "sample.fläche", "io.tagbridge.oracle.pool~Nord Süd");
        for (String pid : pids) {
            store.store(pid, properties(pid, "written by Tagbridge"));
        }

        FilePersistenceManager felix = new FilePersistenceManager(folder.toString());
        for (String pid : pids) {
            assertThat(felix.exists(pid)).as(pid).isTrue();
            assertThat(felix.load(pid).get("batchSize")).as(pid).isEqualTo("written by Tagbridge");
        }
        // Felix's manager lists a file only when its name is the one it would give the PID.
        assertThat(Collections.list(felix.getDictionaries()).stream().map(d -> ((Dictionary<?, ?>) d).get("service.pid")))
                .containsExactlyInAnyOrderElementsOf(pids);
    }

    @Test
    void aConfigurationFelixStoredIsReplacedInPlaceAndDeletedForGood() throws Exception {
        FilePersistenceManager felix = new FilePersistenceManager(folder.toString());
        felix.store("io.tagbridge.writer~default", properties("io.tagbridge.writer~default", "500"));
        DurableConfigurationFiles store = new DurableConfigurationFiles(folder);

        store.store("io.tagbridge.writer~default", properties("io.tagbridge.writer~default", "100"));

        assertThat(store.load("io.tagbridge.writer~default").get("batchSize")).isEqualTo("100");
        try (Stream<Path> files = Files.list(store.file("io.tagbridge.writer~default").getParent())) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("writer%007edefault.config");
        }
        store.delete("io.tagbridge.writer~default");
        assertThat(felix.exists("io.tagbridge.writer~default")).isFalse();
    }

    private static Dictionary<String, Object> properties(String pid, String batchSize) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("service.pid", pid);
        properties.put("batchSize", batchSize);
        return properties;
    }
}
