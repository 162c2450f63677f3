package io.tagbridge.buffer;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "Tagbridge Buffer",
        description = "Where values wait between the drivers and the database writers: a journal on disk, so that "
                + "a crash or a power cut does not lose them, or memory. Every writer reads every value it takes "
                + "from here. Changes apply at once and keep the values already buffered.")
public @interface BufferConfig {

    String PID = "io.tagbridge.buffer";

    @AttributeDefinition(
            name = "Journal on disk",
            description = "Keep accepted values in a journal in the data directory, so that they survive a crash "
                    + "or a power cut, and wait there through database outages. Off: values are kept in memory, "
                    + "and go to backup files after the writer's retries. Switching it off "
                    + "waits until the journal's backlog is written.")
    boolean journal() default true;

    @AttributeDefinition(
            name = "Journal directory",
            description = "Where the journal lives. Empty: journal/ in the gateway's data directory. Changing it "
                    + "waits until the current journal's backlog is written.",
            required = false)
    String journalDirectory() default "";

    @AttributeDefinition(
            name = "Journal maximum (MB)",
            description = "The most disk the journal takes. Near it, the oldest values of the target that lags most "
                    + "go to its backup files, so that a dead target does not make the others refuse values. At "
                    + "least twice the segment size.",
            min = "2")
    long journalMaxMegabytes() default 1024;

    @AttributeDefinition(
            name = "Free disk to leave (MB)",
            description = "The journal does not grow when the disk would have less free space than this left.",
            min = "0")
    long journalMinFreeDiskMegabytes() default 256;

    @AttributeDefinition(
            name = "Journal segment size (MB)",
            description = "The journal is kept in files of this size; a file is deleted once every writer is done "
                    + "with it. 1 to 1024.",
            min = "1", max = "1024")
    int journalSegmentMegabytes() default 64;

    @AttributeDefinition(
            name = "Sync to disk",
            description = "PERIODIC: the journal is synced to disk every sync interval, for all values accepted "
                    + "meanwhile; a power cut can take the values of the last interval, a crash of the gateway "
                    + "none. ON_ACCEPT: a driver's offer returns only once its values are on disk; slower.")
    SyncPolicy sync() default SyncPolicy.PERIODIC;

    @AttributeDefinition(
            name = "Sync timeout (ms)",
            description = "How long an offer that waits for the disk (a REST POST, a driver's durable offer, or any "
                    + "offer with ON_ACCEPT) waits for its sync before it is refused (JOURNAL_UNAVAILABLE); health "
                    + "turns DOWN while a sync takes longer. 100 to 600000.",
            min = "100", max = "600000")
    int syncTimeoutMillis() default 5000;

    @AttributeDefinition(
            name = "When the journal is unavailable",
            description = "When the journal is on but cannot be opened (no space, no permission, an I/O error). "
                    + "REFUSE: values are refused (JOURNAL_UNAVAILABLE) and health is DOWN until it can be opened; "
                    + "it is tried again every 5 s. MEMORY: values are kept in memory meanwhile, answered as not "
                    + "durable, and a crash or a power cut loses them.")
    UnavailablePolicy whenJournalUnavailable() default UnavailablePolicy.REFUSE;

    @AttributeDefinition(
            name = "Sync interval (ms)",
            description = "With PERIODIC sync, how often the journal is synced to disk. 10 to 10000.",
            min = "10", max = "10000")
    int syncIntervalMillis() default 200;

    @AttributeDefinition(
            name = "Capacity without journal (values)",
            description = "With the journal off: how many values memory holds while the database is slow or "
                    + "unreachable. Each takes about 100 bytes of heap. At least 1.",
            min = "1")
    int capacity() default 100_000;

    @AttributeDefinition(
            name = "When full",
            description = "When the journal is full and spilling to backup files cannot free room (or memory is "
                    + "full, with the journal off). BLOCK: drivers wait up to the block timeout, then their values "
                    + "are refused. REJECT_NEWEST: new values are refused at once. DROP_OLDEST: the oldest values "
                    + "are discarded to make room. Every refused or discarded value is counted.")
    OverflowPolicy overflowPolicy() default OverflowPolicy.BLOCK;

    @AttributeDefinition(
            name = "Block timeout (ms)",
            description = "With BLOCK, how long a driver waits for room before its values are refused. 0 or more.",
            min = "0")
    long blockTimeoutMillis() default 1000;

    @AttributeDefinition(
            name = "Suspect source times",
            description = "A value whose source time is before Clock floor, or more than Clock max ahead (s) "
                    + "ahead of the gateway's clock, comes from a device or gateway whose clock is wrong (1970, a "
                    + "stale time after a start) and would be stored under a wrong key. REFUSE: the offer is "
                    + "refused (reason CLOCK_SUSPECT) and the driver keeps it. USE_RECEIVED_TIME: such values are "
                    + "stored at the time they were received, marked UNCERTAIN (refused while the gateway's own "
                    + "clock is before the floor). ACCEPT: stored as they came. Health shows CLOCK_SUSPECT with an "
                    + "example, and every such value is counted.")
    ClockPolicy clockPolicy() default ClockPolicy.REFUSE;

    @AttributeDefinition(
            name = "Clock floor",
            description = "Source times before this date (YYYY-MM-DD, UTC) are suspect. Empty: the date this "
                    + "Tagbridge version was built.")
    String clockFloor() default "";

    @AttributeDefinition(
            name = "Clock max ahead (s)",
            description = "Source times more than this many seconds ahead of the gateway's clock are suspect. "
                    + "0 or more.",
            min = "0")
    long maxFutureSeconds() default 3600;

    @AttributeDefinition(
            name = "Deadband",
            description = "Stores fewer values of slowly moving tags: one rule per line, <tag pattern>=<amount> "
                    + "(a value is stored when it moved more than that from the last one stored) or <tag pattern>="
                    + "<percent>% (more than that percent of the last one stored; after a 0, any change), such as "
                    + "line1.*.temp=0.5 or *.pressure=2%. * stands for any characters, ? for one; the first rule "
                    + "that matches a tag applies. Changes of text and true/false values, changes of quality and "
                    + "each tag's first value after a start are always stored. Values left out are counted as "
                    + "filtered. Empty: every value is stored.")
    String[] deadband() default {};

    @AttributeDefinition(
            name = "Deadband heartbeat (s)",
            description = "With a deadband, the first value of a tag that comes this many seconds (of source "
                    + "time) or more after its last stored one is stored whatever it is, so that a flat signal "
                    + "still shows it is alive. 0: no heartbeat.",
            min = "0")
    long deadbandHeartbeatSeconds() default 60;

    @AttributeDefinition(
            name = "Keep a deleted writer's values (hours)",
            description = "When a writer's configuration is deleted, the values it has not written yet are kept "
                    + "this long, in case it is configured again; then they are counted as dropped for it. "
                    + "0 or more.",
            min = "0")
    double releaseDeletedTargetsAfterHours() default 24;
}
