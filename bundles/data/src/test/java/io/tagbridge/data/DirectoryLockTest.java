package io.tagbridge.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryLockTest {

    @TempDir
    Path directory;

    @Test
    void aSecondHolderIsRefusedWithTheFirstHoldersProcessAndWhatToDo() throws Exception {
        try (DirectoryLock first = DirectoryLock.take(directory)) {
            assertThatThrownBy(() -> DirectoryLock.take(directory))
                    .isInstanceOf(DirectoryLock.InUseException.class)
                    .hasMessageContaining("in use by another Tagbridge process (pid " + ProcessHandle.current().pid())
                    .hasMessageContaining("-Dtagbridge.data=");
        }
    }

    @Test
    void theLockIsFreeAgainOnceReleased() throws Exception {
        DirectoryLock.take(directory).close();
        try (DirectoryLock again = DirectoryLock.take(directory)) {
            assertThat(Files.readString(directory.resolve(DirectoryLock.FILE)).strip())
                    .isEqualTo(Long.toString(ProcessHandle.current().pid()));
        }
    }

    @Test
    void theDirectoryComesFromTagbridgeDataThenKarafDataThenTheWorkingDirectory() {
        Path cwd = Path.of("").toAbsolutePath();
        assertThat(DataDirectoryComponent.locate(Map.of("tagbridge.data", "/srv/tb", "karaf.data", "/k")::get))
                .isEqualTo(Path.of("/srv/tb"));
        assertThat(DataDirectoryComponent.locate(Map.of("karaf.data", "/opt/karaf/data")::get))
                .isEqualTo(Path.of("/opt/karaf/data"));
        assertThat(DataDirectoryComponent.locate(Map.<String, String>of()::get)).isEqualTo(cwd.resolve("data"));
    }
}
