package io.tagbridge.buffer.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Segments as files: made whole before use, found again at start, and never deleted when they cannot be read. */
class FileStorageTest {

    private static final int SEGMENT = 64 * 1024;

    @TempDir
    Path dir;

    private final List<String> unreadable = new ArrayList<>();
    private final JournalEvents events = new JournalEvents() {
        @Override
        public void damaged(Segment segment, int offset, long bytes, long values, String what, boolean late) {
            throw new AssertionError("no segment here is damaged inside: " + what);
        }

        @Override
        public void unreadable(String file, String why) {
            unreadable.add(file + ": " + why);
        }
    };
    private final List<FileStorage> opened = new ArrayList<>();

    private FileStorage storage(long maxBytes) {
        FileStorage storage = new FileStorage(dir, SEGMENT, maxBytes, 0);
        opened.add(storage);
        return storage;
    }

    @AfterEach
    void closeAll() {
        opened.forEach(FileStorage::close);
    }

    @Test
    void aNewSegmentIsAFileOfItsFullSizeAndIsFoundAgainAtTheNextStart() throws IOException {
        FileStorage first = storage(10L * SEGMENT);
        assertThat(first.open(events)).isEmpty();
        Segment created = first.create(1_000, 0);

        assertThat(created.file.getFileName().toString()).isEqualTo(FileStorage.name(1_000));
        assertThat(Files.size(created.file)).as("the disk space is taken when the segment is made")
                .isEqualTo(SEGMENT);
        first.close();

        List<Segment> found = storage(10L * SEGMENT).open(events);
        assertThat(found).singleElement().satisfies(s -> assertThat(s.baseSeq).isEqualTo(1_000));
        assertThat(unreadable).isEmpty();
    }

    @Test
    void aSegmentOfAFormatThisVersionDoesNotKnowIsMovedAsideUntouchedAndSaidUnreadable() throws IOException {
        Files.createDirectories(dir);
        Path foreign = dir.resolve(FileStorage.name(7));
        byte[] content = "not a segment of this version, and not empty either".getBytes();
        Files.write(foreign, content);

        assertThat(storage(10L * SEGMENT).open(events)).isEmpty();
        assertThat(foreign).doesNotExist();
        assertThat(dir.resolve(FileStorage.UNREADABLE).resolve(foreign.getFileName())).hasBinaryContent(content);
        assertThat(unreadable).singleElement().asString().startsWith(foreign.getFileName().toString());
    }

    @Test
    void aSegmentThatHoldsNothingNotEvenItsHeaderIsDeleted() throws IOException {
        Files.createDirectories(dir);
        Path empty = dir.resolve(FileStorage.name(3));
        Files.write(empty, new byte[SEGMENT]);

        assertThat(storage(10L * SEGMENT).open(events)).isEmpty();
        assertThat(empty).doesNotExist();
        assertThat(unreadable).isEmpty();
    }

    @Test
    void noSegmentIsMadeThatWouldPassTheMaximumAndTheReasonNamesTheSetting() throws IOException {
        FileStorage storage = storage(2L * SEGMENT);
        storage.open(events);

        assertThat(storage.limitReached(SEGMENT)).isNull();
        assertThat(storage.limitReached(2L * SEGMENT)).contains("journalMaxMegabytes");
        assertThat(storage.create(0, 2L * SEGMENT)).isNull();
    }

    @Test
    void aDeletedSegmentsFileIsGone() throws IOException {
        FileStorage storage = storage(10L * SEGMENT);
        storage.open(events);
        Segment segment = storage.create(0, 0);

        storage.delete(segment);
        assertThat(segment.file).doesNotExist();
    }
}
