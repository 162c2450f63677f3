package io.tagbridge.sink.jdbc;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

import io.tagbridge.api.sink.OutageMode;

@ObjectClassDefinition(
        name = "Tagbridge Writer",
        description = "Writes tag values into one database table in batches: one target. Every writer gets every "
                + "value its tag filter takes. A batch is written when Batch size values are waiting or Write "
                + "interval has passed, whichever comes first. A failed batch is retried with exponential backoff; "
                + "then it waits in the journal until the database answers, or goes to a backup file.")
public @interface WriterConfig {

    String FACTORY_PID = "io.tagbridge.writer";

    @AttributeDefinition(name = "Name", description = "Name of this writer (its target), shown in metrics, health "
            + "and logs, and under which the journal keeps its place. Unique among the writers.")
    String name() default "default";

    /** How the web console lists an instance: by its name rather than its PID. */
    @AttributeDefinition(name = "Listed as", description = "How the web console lists this instance.")
    String webconsole_configurationFactory_nameHint() default "Writer {name}";

    @AttributeDefinition(
            name = "Tag filter",
            description = "Which tags this writer takes: patterns where * matches any run of characters and ? one "
                    + "character, such as line1.* . Empty takes every tag. A value no writer takes is refused.",
            required = false)
    String[] tagFilter() default {};

    @AttributeDefinition(
            name = "During an outage",
            description = "KEEP: a batch the database does not take after all retries waits in the journal, and "
                    + "the writer catches up, in order, when the database answers. BACKUP: it goes to a backup "
                    + "file. With the journal off, batches go to backup files either way.")
    OutageMode outageMode() default OutageMode.KEEP;

    @AttributeDefinition(
            name = "Pool",
            description = "Which connection pool to write through, as a filter on the pool's name: "
                    + "(name=default) uses the pool named default.")
    String dataSource_target() default "(name=default)";

    @AttributeDefinition(
            name = "Table",
            description = "Table the values go to, optionally with its schema (SCHEMA.TABLE). Letters, digits, "
                    + "_ $ #, starting with a letter, at most 128 characters per part.")
    String tableName() default "TAG_VALUES";

    @AttributeDefinition(
            name = "Create table",
            description = "Create the table (and nothing else) if it does not exist. Turn off when the DBA "
                    + "creates it.")
    boolean createTable() default true;

    @AttributeDefinition(
            name = "Partition by day",
            description = "When Tagbridge creates the table on Oracle: partition it by day of source time "
                    + "(interval partitioning), so that retention can drop whole days. Tagbridge never drops data.")
    boolean partitionByDay() default false;

    @AttributeDefinition(
            name = "Write mode",
            description = "INSERT_FIRST: batches go in as fast as plain INSERTs; a batch that meets rows stored "
                    + "before (a retry, a replay, catch-up after a restart) is written again duplicate-safe, so each "
                    + "tag and source time has one row. MERGE: every batch as a MERGE, duplicate-safe and slower. "
                    + "IGNORE_DUPLICATES_HINT: Oracle's IGNORE_ROW_ON_DUPKEY_INDEX hint (Oracle only; slow on "
                    + "Oracle, see README). INSERT: plain insert; a repeated row is refused and goes to backup.")
    WriteMode writeMode() default WriteMode.INSERT_FIRST;

    @AttributeDefinition(
            name = "When a value conflicts",
            description = "When the table holds another value or quality for the same tag and source time. "
                    + "KEEP_FIRST: the stored row stays. KEEP_LAST: the row takes the new value if it was received "
                    + "later, so an old backup never overwrites a newer value. BACKUP: the stored row stays and the "
                    + "new value goes to a backup file. Conflicts are always counted (valuesConflicting) and logged. "
                    + "KEEP_LAST and BACKUP need write mode INSERT_FIRST or INSERT.")
    ConflictPolicy conflictPolicy() default ConflictPolicy.KEEP_FIRST;

    @AttributeDefinition(
            name = "Replay rate (values/s)",
            description = "How fast this writer replays its backup files while it also writes live values. Live "
                    + "values go first; replay takes what is left, up to this rate.",
            min = "1")
    int replayValuesPerSecond() default 5000;

    @AttributeDefinition(
            name = "Gateway ID",
            description = "Stored with every row, so that a fleet of gateways can share one table. Empty means this "
                    + "machine's host name.",
            required = false)
    String gatewayId() default "";

    @AttributeDefinition(
            name = "Batch size",
            description = "A batch is written as soon as this many values are waiting. 1 to 100000.",
            min = "1", max = "100000")
    int batchSize() default 500;

    @AttributeDefinition(
            name = "Catch-up batch size",
            description = "While values wait behind (after an outage, or when they come faster than batches of "
                    + "Batch size are written), batches grow up to this many, so that a backlog takes fewer round "
                    + "trips to a database far away. At or below Batch size, batches never grow. 1 to 100000.",
            min = "1", max = "100000")
    int catchUpBatchSize() default 5000;

    @AttributeDefinition(
            name = "Write connections",
            description = "While values wait behind (a backlog, or more values than one connection writes), a large "
                    + "batch is split by tag and written through up to this many connections at once, each tag's "
                    + "values in order. Helps most with a database far away. At most the pool's Maximum "
                    + "connections minus 1 is used: a target that cannot get one more writes with fewer. 1 to 16.",
            min = "1", max = "16")
    int writeConnections() default 2;

    @AttributeDefinition(
            name = "Live values first",
            description = "While the backlog is older than Live values first after, values that come in are "
                    + "written first, through a connection of their own, so that dashboards show the present "
                    + "while the past fills in. Each tag's live values are stored in order and its older values "
                    + "in order, but its older values may be stored after its newer ones. Needs one pool "
                    + "connection more than Write connections. Off: every value is stored in the order it came.")
    boolean liveFirst() default false;

    @AttributeDefinition(
            name = "Live values first after (s)",
            description = "With Live values first: how old the oldest value waiting must be before values that "
                    + "come in are written ahead of it. More than 0, for example 10.")
    double liveFirstAfterSeconds() default 10.0;

    @AttributeDefinition(
            name = "Keep values at most (hours)",
            description = "Values not yet in the database this many hours after they were accepted expire: in the "
                    + "journal and in this writer's backup files, the oldest first, counted as dropped (EXPIRED) "
                    + "and shown in health. The time counted is the time that passed on the gateway: its clock "
                    + "jumping ahead expires nothing at once. 0: keep values however old, within the journal's and "
                    + "the backup folder's size.",
            min = "0")
    double maxAgeHours() default 0;

    @AttributeDefinition(
            name = "Expired values",
            description = "What becomes of values older than Keep values at most. DROP: they are given up and "
                    + "counted. ARCHIVE: they are saved first to a compressed CSV file in the backup folder's "
                    + "archive/ (never replayed; it counts within the folder's maximum size), and counted too.",
            options = { @Option(label = "Drop and count them", value = "DROP"),
                    @Option(label = "Move them to archive files", value = "ARCHIVE") })
    String expiredValues() default "DROP";

    @AttributeDefinition(
            name = "Write interval (s)",
            description = "A batch is written at the latest this long after the previous write, even if it is "
                    + "not full. More than 0, for example 0.5.")
    double writeIntervalSeconds() default 0.5;

    @AttributeDefinition(
            name = "Retries",
            description = "How often a failed batch is retried before it goes to a backup file. 0 or more. "
                    + "Retries stop early once the buffer is half full, so that the buffer never refuses values "
                    + "while the backup could take them.",
            min = "0")
    int retryMax() default 3;

    @AttributeDefinition(
            name = "First retry delay (s)",
            description = "Wait before the first retry; each further retry waits twice as long (1, 2, 4 s).")
    double retryDelaySeconds() default 1.0;

    @AttributeDefinition(
            name = "Longest retry delay (s)",
            description = "The doubling of the retry delay stops here.")
    double retryMaxDelaySeconds() default 30.0;

    @AttributeDefinition(
            name = "Outage probe interval (s)",
            description = "Once a batch has failed all retries, the database counts as down: later batches go "
                    + "straight to backup, and every this many seconds one batch tries the database again.")
    double outageProbeSeconds() default 5.0;

    @AttributeDefinition(
            name = "Refused settings retry (s)",
            description = "When the database refuses the settings themselves (missing table, missing privilege, "
                    + "unknown service), batches go to backup and the database is tried again this often. Wrong "
                    + "credentials are not retried at all until the configuration changes: retrying can lock the account.")
    double refusedSettingsRetrySeconds() default 300.0;

    @AttributeDefinition(
            name = "Stop flush time (s)",
            description = "When the writer stops, how long it may keep writing what is buffered before it "
                    + "leaves the rest in the buffer.")
    double stopFlushSeconds() default 5.0;
}
