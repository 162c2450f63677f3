package io.tagbridge.backup;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import io.tagbridge.api.pipeline.BackupRow;

/**
 * Reads a backup file's rows for an operator, a page of them or all, one row at a time so that a file of any size
 * costs the memory of one row.
 */
final class FileRows {

    private FileRows() {
    }

    /**
     * @return how many rows were handed over
     * @throws IllegalArgumentException at a row that cannot be read, naming its line; the rows before it were
     *                                  handed over
     */
    static long read(Path file, long from, long max, Consumer<BackupRow> each) throws IOException {
        long index = 0;
        long handed = 0;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CsvBackupFormat.RowReader reader = new CsvBackupFormat.RowReader(in)) {
            for (CsvBackupFormat.Row row = handed < max ? reader.next() : null; row != null;
                    row = handed < max ? reader.next() : null) {
                if (index >= from) {
                    each.accept(new BackupRow(index, row.value(), row.reason()));
                    handed++;
                }
                index++;
            }
        }
        return handed;
    }
}
