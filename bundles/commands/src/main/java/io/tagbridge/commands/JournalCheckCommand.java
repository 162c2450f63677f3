package io.tagbridge.commands;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Dictionary;
import java.util.Properties;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.tagbridge.api.pipeline.DataDirectory;
import io.tagbridge.api.pipeline.JournalCheck;

/**
 * {@code journal-check}: an operator's look at the journal after a power cut. It only reads, and takes no lock: on
 * the command line the gateway jar starts neither the pipeline nor the data directory for it, and next to a running
 * gateway (or in its console) the journal is checked as in use.
 *
 * <p>The data directory is {@code --data}, else the running gateway's (in its console), else the framework
 * property {@code tagbridge.data} (or Karaf's {@code karaf.data}), else {@code ./data}. The journal is
 * {@code --journal}, else the buffer's configured {@code journalDirectory} (ConfigAdmin in the console,
 * {@code etc/io.tagbridge.buffer.cfg} on the command line), else {@code journal/} in the data directory.
 */
final class JournalCheckCommand {

    static final String NAME = "journal-check";
    static final String BUFFER_PID = "io.tagbridge.buffer";
    private static final String ETC_PROPERTY = "felix.fileinstall.dir";
    private static final String KARAF_DATA = "karaf.data";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Services services;
    private final PrintStream out;
    private final boolean console;

    JournalCheckCommand(Services services, PrintStream out, boolean console) {
        this.services = services;
        this.out = out;
        this.console = console;
    }

    /** Where the journal is, and where that was found. */
    record Location(Path data, Path journal, String journalFrom, boolean journalOff) {
    }

    /** Returns whether the journal is sound (or only in use). */
    boolean run(java.util.List<String> args) throws UsageException, CommandException, InterruptedException {
        JournalCheckOptions options = JournalCheckOptions.parse(args);
        Location location = locate(options);
        LockHolder holder = LockHolder.of(location.data());
        JournalCheck check = services.await(JournalCheck.class, WAIT);
        if (check == null) {
            throw new CommandException("the journal check is not available within " + WAIT.toSeconds() + " s: check "
                    + "that bundle io.tagbridge.buffer is active");
        }
        JournalCheck.Report report = check.check(location.journal(), holder.running());
        JournalCheckReport printed = new JournalCheckReport(report, location, holder, ZoneId.systemDefault());
        out.print(options.json() ? printed.json() + System.lineSeparator() : printed.text());
        out.flush();
        return report.sound();
    }

    Location locate(JournalCheckOptions options) throws InterruptedException {
        Path data = options.data() != null ? options.data() : dataDirectory();
        if (options.journal() != null) {
            return new Location(data, options.journal(), "--journal", false);
        }
        Properties buffer = console ? fromConfigAdmin() : null;
        String from = "the running configuration of " + BUFFER_PID;
        if (buffer == null) {
            Path etc = etc().resolve(BUFFER_PID + ".cfg");
            buffer = fromFile(etc);
            from = etc.toString();
        }
        boolean off = buffer != null && "false".equalsIgnoreCase(buffer.getProperty("journal", "true").trim());
        String configured = buffer == null ? "" : buffer.getProperty("journalDirectory", "").trim();
        if (!configured.isEmpty()) {
            try {
                return new Location(data, Path.of(configured).toAbsolutePath().normalize(),
                        "journalDirectory in " + from, off);
            } catch (InvalidPathException e) {
                // a path the buffer cannot use either: the default, as the buffer falls back to
            }
        }
        return new Location(data, data.resolve("journal"), "journal/ in the data directory", off);
    }

    /** The running gateway's data directory in its console; else as the gateway finds it. */
    private Path dataDirectory() throws InterruptedException {
        BundleContext context = services.context();
        if (console) {
            DataDirectory running = services.await(DataDirectory.class, Duration.ofMillis(1));
            if (running != null) {
                return running.path();
            }
        }
        for (String property : new String[] { DataDirectory.PROPERTY, KARAF_DATA }) {
            String value = context.getProperty(property);
            if (value != null && !value.isBlank()) {
                return Paths.get(value.trim()).toAbsolutePath().normalize();
            }
        }
        return Paths.get("data").toAbsolutePath().normalize();
    }

    private Path etc() {
        String dir = services.context().getProperty(ETC_PROPERTY);
        return Path.of(dir == null || dir.isBlank() ? "etc" : dir.trim()).toAbsolutePath().normalize();
    }

    /** The buffer's configuration as ConfigAdmin has it, without creating one; null when there is none. */
    private Properties fromConfigAdmin() throws InterruptedException {
        ConfigurationAdmin admin = services.await(ConfigurationAdmin.class, Duration.ofMillis(1));
        if (admin == null) {
            return null;
        }
        try {
            Configuration[] found = admin.listConfigurations("(service.pid=" + BUFFER_PID + ")");
            if (found == null || found.length == 0 || found[0].getProperties() == null) {
                return null;
            }
            Properties p = new Properties();
            Dictionary<String, Object> d = found[0].getProperties();
            for (var keys = d.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                p.setProperty(key, String.valueOf(d.get(key)));
            }
            return p;
        } catch (IOException | InvalidSyntaxException e) {
            return null;
        }
    }

    /** A FileInstall {@code .cfg} file, read as properties; null when it is missing or cannot be read. */
    static Properties fromFile(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Properties p = new Properties();
            p.load(reader);
            return p;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
