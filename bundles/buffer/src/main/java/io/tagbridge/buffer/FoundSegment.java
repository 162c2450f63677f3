package io.tagbridge.buffer;

import java.nio.file.Path;

import io.tagbridge.buffer.journal.SegmentInspection;

/** One segment file the journal check read, and what it holds. */
record FoundSegment(Path file, SegmentInspection.Result result) {

    String name() {
        return file.getFileName().toString();
    }
}
