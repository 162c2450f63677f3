package io.tagbridge.backup;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A validated backup configuration. */
record BackupSettings(Path directory, boolean replayAutomatically, Duration roll, long rollBytes,
        Duration keepReplayed, long maxBytes, long minFreeBytes) {

    private static final long MB = 1024L * 1024;

    /** The configuration form's defaults: what backups use while their configuration is refused. */
    static BackupSettings defaults() {
        BackupConfig defaults = (BackupConfig) Proxy.newProxyInstance(BackupConfig.class.getClassLoader(),
                new Class<?>[] { BackupConfig.class }, (proxy, method, args) -> method.getDefaultValue());
        return from(defaults);
    }

    /** Problems with the configuration, each naming its property; empty when it is valid. */
    static List<String> problems(BackupConfig config) {
        List<String> problems = new ArrayList<>();
        if (config.directory() == null || config.directory().isBlank()) {
            problems.add("directory is empty");
        }
        atLeast(problems, "rollMinutes", config.rollMinutes(), 1);
        atLeast(problems, "rollMegabytes", config.rollMegabytes(), 1);
        atLeast(problems, "keepReplayedDays", config.keepReplayedDays(), 0);
        atLeast(problems, "maxMegabytes", config.maxMegabytes(), 1);
        atLeast(problems, "minFreeMegabytes", config.minFreeMegabytes(), 0);
        return problems;
    }

    static BackupSettings from(BackupConfig config) {
        return new BackupSettings(Paths.get(config.directory().trim()).toAbsolutePath().normalize(),
                config.replayAutomatically(), Duration.ofMinutes(config.rollMinutes()),
                config.rollMegabytes() * MB, Duration.ofDays(config.keepReplayedDays()), config.maxMegabytes() * MB,
                config.minFreeMegabytes() * MB);
    }

    private static void atLeast(List<String> problems, String property, int value, int min) {
        if (value < min) {
            problems.add(property + " is " + value + " but must be " + min + " or more");
        }
    }
}
