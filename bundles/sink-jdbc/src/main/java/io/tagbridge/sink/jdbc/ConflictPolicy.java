package io.tagbridge.sink.jdbc;

/**
 * What happens to a value whose tag and source time the table holds already with another value or quality. Such
 * a conflict is always counted ({@code valuesConflicting}) and logged with an example.
 */
public enum ConflictPolicy {
    /** The stored row stays; the new value is counted and let go. */
    KEEP_FIRST,
    /**
     * The row is updated when the new value was received later than the stored one (RECEIVED_TIME), so a replayed
     * old file never overwrites a newer arrival.
     */
    KEEP_LAST,
    /** The stored row stays; the new value goes to a backup file with the reason. */
    BACKUP;

    /** What became of conflicting values, as the log and backup files say it. */
    String outcome() {
        return switch (this) {
            case KEEP_FIRST -> "the stored rows were kept";
            case KEEP_LAST -> "rows were replaced where the new value was received later";
            case BACKUP -> "the new values went to a backup file";
        };
    }
}
