package io.tagbridge.buffer;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

import io.tagbridge.api.TagValue;

/** Validated buffer settings. */
record BufferSettings(boolean journal, String journalDirectory, long maxBytes, long minFreeBytes, int segmentBytes,
        SyncPolicy sync, Duration syncInterval, int capacity, OverflowPolicy policy, long blockTimeoutNanos,
        Duration releaseDeletedAfter, Duration syncTimeout, UnavailablePolicy whenJournalUnavailable,
        ClockSettings clock, DeadbandSettings deadband) {

    /** The header of the api bundle that gives its build date, the clock guard's default floor. */
    static final String BUILD_DATE_HEADER = "Tagbridge-Build-Date";
    /** The clock guard's floor where no bundle gives a build date: this version was not built before it. */
    static final Instant BUILT_NO_EARLIER = Instant.parse("2026-01-01T00:00:00Z");
    private static final BufferSettings DEFAULTS = defaults();

    /** The configuration form's defaults: what the buffer starts with when its configuration is refused. */
    static BufferSettings defaults() {
        BufferConfig defaults = (BufferConfig) Proxy.newProxyInstance(BufferConfig.class.getClassLoader(),
                new Class<?>[] { BufferConfig.class }, (proxy, method, args) -> method.getDefaultValue());
        return from(defaults);
    }

    /** Settings with the defaults for what a sync may take and for a journal that cannot be opened. */
    BufferSettings(boolean journal, String journalDirectory, long maxBytes, long minFreeBytes, int segmentBytes,
            SyncPolicy sync, Duration syncInterval, int capacity, OverflowPolicy policy, long blockTimeoutNanos,
            Duration releaseDeletedAfter) {
        this(journal, journalDirectory, maxBytes, minFreeBytes, segmentBytes, sync, syncInterval, capacity, policy,
                blockTimeoutNanos, releaseDeletedAfter, DEFAULTS.syncTimeout, DEFAULTS.whenJournalUnavailable,
                DEFAULTS.clock, DEFAULTS.deadband);
    }

    /** The problems with a configuration, each naming the property; empty when it is valid. */
    static List<String> problems(BufferConfig config) {
        List<String> problems = new ArrayList<>();
        if (config.capacity() < 1) {
            problems.add("capacity is " + config.capacity() + " but must be at least 1");
        }
        if (config.overflowPolicy() == null) {
            problems.add("overflowPolicy must be one of BLOCK, REJECT_NEWEST, DROP_OLDEST");
        }
        if (config.sync() == null) {
            problems.add("sync must be one of PERIODIC, ON_ACCEPT");
        }
        if (config.blockTimeoutMillis() < 0) {
            problems.add("blockTimeoutMillis is " + config.blockTimeoutMillis() + " but must be 0 or more");
        }
        if (config.journalSegmentMegabytes() < 1 || config.journalSegmentMegabytes() > 1024) {
            problems.add("journalSegmentMegabytes is " + config.journalSegmentMegabytes() + " but must be 1 to 1024");
        } else if (config.journalMaxMegabytes() < 2L * config.journalSegmentMegabytes()) {
            problems.add("journalMaxMegabytes is " + config.journalMaxMegabytes() + " but must be at least twice "
                    + "journalSegmentMegabytes (" + config.journalSegmentMegabytes() + ")");
        }
        if (config.journalMinFreeDiskMegabytes() < 0) {
            problems.add("journalMinFreeDiskMegabytes is " + config.journalMinFreeDiskMegabytes()
                    + " but must be 0 or more");
        }
        if (config.syncIntervalMillis() < 10 || config.syncIntervalMillis() > 10_000) {
            problems.add("syncIntervalMillis is " + config.syncIntervalMillis() + " but must be 10 to 10000");
        }
        if (config.syncTimeoutMillis() < 100 || config.syncTimeoutMillis() > 600_000) {
            problems.add("syncTimeoutMillis is " + config.syncTimeoutMillis() + " but must be 100 to 600000");
        }
        if (config.whenJournalUnavailable() == null) {
            problems.add("whenJournalUnavailable must be one of REFUSE, MEMORY");
        }
        if (config.clockPolicy() == null) {
            problems.add("clockPolicy must be one of REFUSE, USE_RECEIVED_TIME, ACCEPT");
        }
        if (config.maxFutureSeconds() < 0) {
            problems.add("maxFutureSeconds is " + config.maxFutureSeconds() + " but must be 0 or more");
        }
        String floor = config.clockFloor() == null ? "" : config.clockFloor().trim();
        if (!floor.isEmpty()) {
            try {
                LocalDate.parse(floor);
            } catch (DateTimeParseException e) {
                problems.add("clockFloor is '" + floor + "' but must be a date such as 2026-01-01, or empty for "
                        + "the software's build date");
            }
        }
        DeadbandSettings.of(config.deadband(), config.deadbandHeartbeatSeconds(), problems);
        if (!(config.releaseDeletedTargetsAfterHours() >= 0)) {
            problems.add("releaseDeletedTargetsAfterHours is " + config.releaseDeletedTargetsAfterHours()
                    + " but must be 0 or more");
        }
        return problems;
    }

    static BufferSettings from(BufferConfig config) {
        return new BufferSettings(config.journal(), config.journalDirectory() == null ? ""
                : config.journalDirectory().trim(), config.journalMaxMegabytes() << 20,
                config.journalMinFreeDiskMegabytes() << 20, config.journalSegmentMegabytes() << 20, config.sync(),
                Duration.ofMillis(config.syncIntervalMillis()), config.capacity(), config.overflowPolicy(),
                TimeUnit.MILLISECONDS.toNanos(config.blockTimeoutMillis()),
                Duration.ofMillis(Math.round(config.releaseDeletedTargetsAfterHours() * 3_600_000)),
                Duration.ofMillis(config.syncTimeoutMillis()), config.whenJournalUnavailable(), clock(config),
                DeadbandSettings.of(config.deadband(), config.deadbandHeartbeatSeconds(), new ArrayList<>()));
    }

    /**
     * The clock guard's settings; an empty floor is the api bundle's build date, or, where no bundle says (outside
     * a framework), {@link #BUILT_NO_EARLIER}.
     */
    private static ClockSettings clock(BufferConfig config) {
        String floor = config.clockFloor() == null ? "" : config.clockFloor().trim();
        Instant from = floor.isEmpty() ? buildDate() : LocalDate.parse(floor).atStartOfDay(ZoneOffset.UTC).toInstant();
        return new ClockSettings(config.clockPolicy(), from, Duration.ofSeconds(config.maxFutureSeconds()));
    }

    /** The api bundle's build date, from its Tagbridge-Build-Date header. */
    private static Instant buildDate() {
        Bundle api = FrameworkUtil.getBundle(TagValue.class);
        String built = api == null ? null : api.getHeaders("").get(BUILD_DATE_HEADER);
        try {
            return built == null ? BUILT_NO_EARLIER : Instant.parse(built.trim());
        } catch (DateTimeParseException e) {
            return BUILT_NO_EARLIER;
        }
    }

    /** These settings, but keeping values where {@code where} keeps them. */
    BufferSettings storedAs(BufferSettings where) {
        return new BufferSettings(where.journal, where.journalDirectory, maxBytes, minFreeBytes, segmentBytes, sync,
                syncInterval, capacity, policy, blockTimeoutNanos, releaseDeletedAfter, syncTimeout,
                whenJournalUnavailable, clock, deadband);
    }

    /** These settings with the journal on. */
    BufferSettings withJournal() {
        return new BufferSettings(true, journalDirectory, maxBytes, minFreeBytes, segmentBytes, sync, syncInterval,
                capacity, policy, blockTimeoutNanos, releaseDeletedAfter, syncTimeout, whenJournalUnavailable, clock,
                deadband);
    }

    /** The journal's directory: the configured one, or journal/ in the data directory. */
    Path journalPath(Path dataDirectory) {
        return journalDirectory.isEmpty() ? dataDirectory.resolve("journal")
                : Path.of(journalDirectory).toAbsolutePath().normalize();
    }

    /** Whether a change to these settings needs another journal (its storage), rather than applies in place. */
    boolean changesStorage(BufferSettings other, Path dataDirectory) {
        return journal != other.journal || !journalPath(dataDirectory).equals(other.journalPath(dataDirectory));
    }
}
