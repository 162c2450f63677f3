package io.tagbridge.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {

    @TempDir
    Path dir;

    @Test
    void aReplacedFileHoldsTheNewContentAndNoTemporaryFileStaysBeside() throws Exception {
        Path file = dir.resolve("io.tagbridge.security.cfg");
        Files.writeString(file, "password=Clear-Text-1\n");

        DurableFiles.replace(file, "password=ENC(abc)\n".getBytes(StandardCharsets.ISO_8859_1));

        assertThat(Files.readString(file)).isEqualTo("password=ENC(abc)\n");
        assertThat(names()).containsExactly("io.tagbridge.security.cfg");
    }

    @Test
    void aReplacedFileKeepsThePermissionsItHad() throws Exception {
        Path file = dir.resolve("io.tagbridge.writer-default.cfg");
        Files.writeString(file, "batchSize=500\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

        DurableFiles.replace(file, "batchSize=100\n".getBytes(StandardCharsets.ISO_8859_1));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
    }

    @Test
    void anOwnerOnlyFileIsReadableByItsOwnerOnlyEvenWhenTheOldOneWasNot() throws Exception {
        Path key = dir.resolve("security/secret.key");
        Files.createDirectories(key.getParent());
        Files.writeString(key, "old");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        DurableFiles.replaceOwnerOnly(key, "new".getBytes(StandardCharsets.US_ASCII));

        assertThat(Files.readString(key)).isEqualTo("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    }

    @Test
    void aWriteThatFailsHalfWayLeavesTheOldFileAsItWasAndNothingBeside() throws Exception {
        Path file = dir.resolve("pool.cfg");
        Files.writeString(file, "url=jdbc:oracle:thin:@plant\n");

        assertThatThrownBy(() -> DurableFiles.replace(file, out -> {
            out.write("url=".getBytes(StandardCharsets.US_ASCII));
            throw new IOException("the source broke off");
        })).isInstanceOf(IOException.class).hasMessageContaining(file.toString())
                .hasMessageContaining("the source broke off");

        assertThat(Files.readString(file)).isEqualTo("url=jdbc:oracle:thin:@plant\n");
        assertThat(names()).containsExactly("pool.cfg");
    }

    @Test
    void aFileIsWrittenIntoDirectoriesThatDidNotExist() throws Exception {
        Path file = dir.resolve("config/io/tagbridge/writer%007edefault.config");

        DurableFiles.replace(file, "name=\"default\"\n".getBytes(StandardCharsets.UTF_8));

        assertThat(Files.readString(file)).isEqualTo("name=\"default\"\n");
    }

    @Test
    void aFileInTheWayOfADirectoryIsNamedWithWhatToDo() throws Exception {
        Files.writeString(dir.resolve("replayed"), "");

        assertThatThrownBy(() -> DurableFiles.createDirectories(dir.resolve("replayed/default")))
                .hasMessageContaining(dir.resolve("replayed").toString()).hasMessageContaining("Move it elsewhere");
    }

    @Test
    void aNewFileIsCreatedOnlyWhenItDoesNotExist() throws Exception {
        Path part = dir.resolve("default/backup_20261129_101500.csv.part");
        try (FileChannel channel = DurableFiles.createNew(part)) {
            channel.write(StandardCharsets.UTF_8.encode("tag_name\n"));
        }

        assertThat(Files.readString(part)).isEqualTo("tag_name\n");
        assertThatThrownBy(() -> DurableFiles.createNew(part)).isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void aMovedFileIsInItsNewDirectoryOnlyAndADeletedOneIsGone() throws Exception {
        Path file = dir.resolve("default/backup_20261129_101500.csv");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "rows");
        Path replayed = dir.resolve("replayed/default/backup_20261129_101500.csv");

        DurableFiles.move(file, replayed);

        assertThat(file).doesNotExist();
        assertThat(replayed).hasContent("rows");
        assertThat(DurableFiles.delete(replayed)).isTrue();
        assertThat(DurableFiles.delete(replayed)).as("nothing left to delete").isFalse();
    }

    @Test
    void aFullDiskIsNamedWithTheFileAndWhereToFreeSpace() {
        Path file = dir.resolve("etc/io.tagbridge.security.cfg");

        IOException failure = DurableFiles.failure("write", file,
                new FileSystemException(file.toString(), null, "No space left on device"));

        assertThat(failure).hasMessageStartingWith("Could not write " + file + ": No space left on device. ")
                .hasMessageContaining("Free space on ").hasMessageEndingWith(", where " + file.getParent() + " is");
    }

    @Test
    void aDirectoryThatCannotBeSyncedIsNamed() {
        Path gone = dir.resolve("journal");

        assertThatThrownBy(() -> DurableFiles.syncDirectory(gone)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("Could not sync the directory " + gone);
    }

    /** What the directory holds, hidden files included. */
    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
