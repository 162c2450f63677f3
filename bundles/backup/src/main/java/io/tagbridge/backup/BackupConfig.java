package io.tagbridge.backup;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "Tagbridge Backup",
        description = "Where batches go that the database did not take after all retries: one CSV file per "
                + "batch, named backup_YYYYMMDD_HHMMSS.csv (UTC).")
public @interface BackupConfig {

    String PID = "io.tagbridge.backup";

    @AttributeDefinition(
            name = "Directory",
            description = "Directory for backup files, absolute or relative to the gateway's working directory. "
                    + "It is created if missing. Put it on a disk with room for an outage's worth of values.")
    String directory() default "./backup";
}
