package io.tagbridge.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small disk is as small as asked, refuses writes once filled, and takes them again once the filler is gone. */
class SmallDiskTest {

    @TempDir
    Path dir;

    @Test
    void aFilledDiskRefusesWritesWithEnospcUntilTheFillerIsDeleted() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), 8)) {
            assertThat(disk.free()).isBetween(7L << 20, 8L << 20);
            long filler = disk.fill("filler");
            assertThat(filler).isGreaterThan(7L << 20);
            assertThat(disk.free()).isZero();
            assertThatThrownBy(() -> Files.writeString(disk.dir().resolve("more"), "x".repeat(8192)))
                    .isInstanceOf(IOException.class).hasMessageContaining("No space left");
            disk.unfill("filler");
            Files.writeString(disk.dir().resolve("more"), "x".repeat(8192));
            assertThat(disk.dir().resolve("more")).hasSize(8192);
        }
    }
}
