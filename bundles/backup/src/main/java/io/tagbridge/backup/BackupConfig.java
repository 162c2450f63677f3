package io.tagbridge.backup;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "Tagbridge Backup",
        description = "Where values go that the database did not take: CSV files per target, in "
                + "<directory>/<target>/backup_YYYYMMDD_HHMMSS.csv (UTC). Each writer replays its own files into "
                + "the database by itself once it writes again.")
public @interface BackupConfig {

    String PID = "io.tagbridge.backup";

    @AttributeDefinition(
            name = "Directory",
            description = "Directory for backup files, absolute or relative to the gateway's working directory. "
                    + "It is created if missing. Replayed files move to its replayed/ folder, rows the database "
                    + "refuses again to its quarantine/ folder.")
    String directory() default "./backup";

    @AttributeDefinition(
            name = "Replay automatically",
            description = "Each writer replays its target's backup files, oldest first, whenever it writes again. "
                    + "Off: files are replayed only when an operator asks (REST, shell or the replay command).")
    boolean replayAutomatically() default true;

    @AttributeDefinition(
            name = "New file every (min)",
            description = "A target's file is closed and a new one begun after this many minutes, so that an hour "
                    + "of outage makes at most 60 files. A file is replayed once it is closed.",
            min = "1")
    int rollMinutes() default 1;

    @AttributeDefinition(
            name = "Largest file (MB)",
            description = "A target's file is also closed when it reaches this size.",
            min = "1")
    int rollMegabytes() default 64;

    @AttributeDefinition(
            name = "Keep replayed files (days)",
            description = "How long replayed files stay in replayed/ for an audit. 0 deletes a file as soon as "
                    + "every row of it is in the database.",
            min = "0")
    int keepReplayedDays() default 7;

    @AttributeDefinition(
            name = "Maximum size (MB)",
            description = "The backup folder never grows beyond this. Replayed files are deleted first to make room; "
                    + "when that is not enough, new backups are refused and the values stay in the journal.",
            min = "1")
    int maxMegabytes() default 4096;

    @AttributeDefinition(
            name = "Minimum free disk (MB)",
            description = "Backups stop before the disk holding the folder has less than this free.",
            min = "0")
    int minFreeMegabytes() default 256;
}
