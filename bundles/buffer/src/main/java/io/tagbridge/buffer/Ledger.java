package io.tagbridge.buffer;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.zip.CRC32C;

import io.tagbridge.api.RefusalReason;
import io.tagbridge.api.pipeline.DropReason;
import io.tagbridge.durable.DurableFiles;

/**
 * The journal's ledger: its head, the counters at the door and each target's durable position and counters, in
 * a small text file an operator can read. The current one becomes the previous one, and the new one is written
 * beside, synced and renamed into place, its directory synced: a power cut at any moment leaves one good copy. A
 * checksum line tells a good copy.
 *
 * @param headSeq      the journal's next sequence number when the ledger was written
 * @param offered      values offered at the door up to then
 * @param accepted     values accepted
 * @param refused      values refused, by reason
 * @param damagedBytes journal bytes found damaged so far
 * @param cleanStop    whether the buffer wrote it as it stopped in order; a start that finds false knows that the
 *                     stop before was a power cut, a crash or a kill. A ledger without the line was written by an
 *                     earlier version, which did not say: it is taken as clean
 * @param uncleanStops starts that found the stop before them unclean
 * @param filtered     values the deadband filtered at the door (a ledger of an earlier version has none)
 * @param jumps        the clock's jumps that expiry counts out of the journal's values' ages
 */
record Ledger(long headSeq, long offered, long accepted, Map<RefusalReason, Long> refused, long damagedBytes,
        List<LedgerTarget> targets, boolean cleanStop, long uncleanStops, long filtered, List<ClockJumps.Jump> jumps) {

    static final String FILE = "ledger.properties";
    static final String PREVIOUS = "ledger.previous.properties";
    private static final int FORMAT = 1;

    void save(Path directory) throws IOException {
        Map<String, String> lines = new TreeMap<>();
        lines.put("format", Integer.toString(FORMAT));
        lines.put("head", Long.toString(headSeq));
        lines.put("door.offered", Long.toString(offered));
        lines.put("door.accepted", Long.toString(accepted));
        lines.put("door.filtered", Long.toString(filtered));
        lines.put("clock.jumps", String.join(",", jumps.stream()
                .map(j -> j.seq() + ":" + j.wallBeforeMicros() + ":" + j.deltaMicros()).toList()));
        refused.forEach((reason, n) -> lines.put("door.refused." + reason, Long.toString(n)));
        lines.put("damagedBytes", Long.toString(damagedBytes));
        lines.put("cleanStop", Boolean.toString(cleanStop));
        lines.put("uncleanStops", Long.toString(uncleanStops));
        for (int i = 0; i < targets.size(); i++) {
            LedgerTarget t = targets.get(i);
            String p = "target." + i + ".";
            lines.put(p + "name", t.name());
            lines.put(p + "filter", String.join("\n", t.filter()));
            lines.put(p + "seq", Long.toString(t.seq()));
            lines.put(p + "routed", Long.toString(t.routed()));
            lines.put(p + "written", Long.toString(t.counters().written));
            lines.put(p + "alreadyStored", Long.toString(t.counters().alreadyStored));
            lines.put(p + "backedUp", Long.toString(t.counters().backedUp));
            t.counters().dropped.forEach((reason, n) -> lines.put(p + "dropped." + reason, Long.toString(n)));
            lines.put(p + "deletedAt", Long.toString(t.deletedAtMillis()));
            if (t.liveFrom() >= 0) {
                lines.put(p + "live.from", Long.toString(t.liveFrom()));
                lines.put(p + "live.to", Long.toString(t.liveTo()));
            }
        }
        StringBuilder text = new StringBuilder("# Tagbridge journal ledger: where each target reads again after a "
                + "restart, and the counters. Written by the gateway; do not edit.\n");
        for (Map.Entry<String, String> e : lines.entrySet()) {
            text.append(escape(e.getKey())).append('=').append(escape(e.getValue())).append('\n');
        }
        String checksum = crc(text.toString());
        text.append("checksum=").append(checksum).append('\n');
        Path current = directory.resolve(FILE);
        if (Files.exists(current)) {
            DurableFiles.move(current, directory.resolve(PREVIOUS));
        }
        DurableFiles.replace(current, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The oldest sequence number a target that still exists needs kept, as this ledger says: segments before it may
     * go, since a restart from this ledger reads none of them again.
     */
    long oldestNeeded() {
        return targets.stream().mapToLong(LedgerTarget::seq).reduce(headSeq, Math::min);
    }

    /** The newest good ledger in the directory, or null when there is none. */
    static Ledger load(Path directory) {
        for (String name : new String[] { FILE, PREVIOUS }) {
            Ledger ledger = read(directory.resolve(name));
            if (ledger != null) {
                return ledger;
            }
        }
        return null;
    }

    /** One copy of the ledger, or null when it is missing or cannot be read; for the journal check. */
    static Ledger readCopy(Path file) {
        return read(file);
    }

    private static Ledger read(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return null;
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int checksumAt = text.lastIndexOf("checksum=");
            if (checksumAt < 0 || !text.substring(checksumAt + 9).strip().equals(crc(text.substring(0, checksumAt)))) {
                return null;
            }
            Properties p = new Properties();
            p.load(new StringReader(text.substring(0, checksumAt)));
            if (!Integer.toString(FORMAT).equals(p.getProperty("format"))) {
                return null;
            }
            Map<RefusalReason, Long> refused = new EnumMap<>(RefusalReason.class);
            for (RefusalReason reason : RefusalReason.values()) {
                refused.put(reason, number(p, "door.refused." + reason));
            }
            List<LedgerTarget> targets = new ArrayList<>();
            for (int i = 0; p.getProperty("target." + i + ".name") != null; i++) {
                String prefix = "target." + i + ".";
                Counters c = new Counters();
                c.written = number(p, prefix + "written");
                c.alreadyStored = number(p, prefix + "alreadyStored");
                c.backedUp = number(p, prefix + "backedUp");
                for (DropReason reason : DropReason.values()) {
                    c.drop(reason, number(p, prefix + "dropped." + reason));
                }
                String filter = p.getProperty(prefix + "filter", "");
                targets.add(new LedgerTarget(p.getProperty(prefix + "name"),
                        filter.isEmpty() ? List.of() : Arrays.asList(filter.split("\n")), number(p, prefix + "seq"), c,
                        number(p, prefix + "routed"), Long.parseLong(p.getProperty(prefix + "deletedAt", "-1")),
                        Long.parseLong(p.getProperty(prefix + "live.from", "-1")),
                        Long.parseLong(p.getProperty(prefix + "live.to", "-1"))));
            }
            return new Ledger(number(p, "head"), number(p, "door.offered"), number(p, "door.accepted"), refused,
                    number(p, "damagedBytes"), targets, Boolean.parseBoolean(p.getProperty("cleanStop", "true")),
                    number(p, "uncleanStops"), number(p, "door.filtered"), jumps(p.getProperty("clock.jumps", "")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static List<ClockJumps.Jump> jumps(String text) {
        List<ClockJumps.Jump> jumps = new ArrayList<>();
        for (String jump : text.isBlank() ? new String[0] : text.split(",")) {
            String[] parts = jump.split(":");
            jumps.add(new ClockJumps.Jump(Long.parseLong(parts[0]), Long.parseLong(parts[1]),
                    Long.parseLong(parts[2])));
        }
        return jumps;
    }

    private static long number(Properties p, String key) {
        return Long.parseLong(p.getProperty(key, "0"));
    }

    private static String crc(String text) {
        CRC32C crc = new CRC32C();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue());
    }

    /** Properties-file escaping for what a tag filter or target name can hold. */
    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '=' -> b.append("\\=");
                case ':' -> b.append("\\:");
                case '#' -> b.append("\\#");
                case '!' -> b.append("\\!");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
