package io.tagbridge.commands;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a load test did and what its verification found.
 *
 * @param tables      the tables read back for the verification
 * @param rowsFound   the test's rows found in those tables
 * @param backupFound the test's values found in backup files written during the run
 * @param pending     values still in the buffer when the test gave up waiting for them
 */
record LoadReport(
        LoadOptions options,
        String tagPrefix,
        long offered,
        long accepted,
        long refused,
        String refusalReason,
        long written,
        long backedUp,
        double throughputPerSecond,
        long batches,
        double writeLatencyAvgMs,
        double writeLatencyP50Ms,
        double writeLatencyP95Ms,
        double writeLatencyP99Ms,
        double sourceToCommitP50Ms,
        double sourceToCommitP99Ms,
        double successRatePercent,
        List<String> tables,
        long rowsFound,
        long backupFound,
        long pending,
        long unaccounted,
        long duplicates,
        long unexpected,
        double heapPeakMb,
        double heapMaxMb,
        long gcCount,
        long gcMillis) {

    private static final ObjectMapper JSON = new ObjectMapper();

    boolean passed() {
        return unaccounted == 0 && duplicates == 0 && unexpected == 0;
    }

    String json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("passed", passed());
        m.put("offered", offered);
        m.put("accepted", accepted);
        m.put("written", written);
        m.put("backedUp", backedUp);
        m.put("refused", refused);
        m.put("throughputPerSecond", round(throughputPerSecond));
        m.put("writeLatencyAvgMs", round(writeLatencyAvgMs));
        m.put("writeLatencyP50Ms", round(writeLatencyP50Ms));
        m.put("writeLatencyP95Ms", round(writeLatencyP95Ms));
        m.put("writeLatencyP99Ms", round(writeLatencyP99Ms));
        m.put("sourceToCommitP50Ms", round(sourceToCommitP50Ms));
        m.put("sourceToCommitP99Ms", round(sourceToCommitP99Ms));
        m.put("successRatePercent", round(successRatePercent));
        m.put("unaccounted", unaccounted);
        m.put("duplicates", duplicates);
        m.put("unexpected", unexpected);
        m.put("pending", pending);
        m.put("rate", options.rate() == 0 ? "max" : options.rate());
        m.put("durationSeconds", options.durationSeconds());
        m.put("tags", options.tags());
        m.put("tagPrefix", tagPrefix);
        m.put("tables", tables);
        m.put("rowsFound", rowsFound);
        m.put("backupFound", backupFound);
        m.put("batches", batches);
        m.put("heapPeakMb", round(heapPeakMb));
        m.put("heapMaxMb", round(heapMaxMb));
        m.put("gcCount", gcCount);
        m.put("gcMillis", gcMillis);
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    String text() {
        StringBuilder b = new StringBuilder();
        line(b, "Load test: %s for %d s over %d tags (tag names %s*)", options.rateText(), options.durationSeconds(),
                options.tags(), tagPrefix);
        line(b, "  offered           %,12d", offered);
        line(b, "  accepted          %,12d", accepted);
        line(b, "  written           %,12d   to the database", written);
        line(b, "  backed up         %,12d   to backup files", backedUp);
        line(b, "  refused           %,12d   %s", refused, refused == 0 ? "" : "by the buffer: " + refusalReason);
        line(b, "  throughput        %,12.0f   values written per second", throughputPerSecond);
        line(b, "  write latency     avg %.1f ms, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms (%,d batches)",
                writeLatencyAvgMs, writeLatencyP50Ms, writeLatencyP95Ms, writeLatencyP99Ms, batches);
        line(b, "  source to commit  p50 %.0f ms, p99 %.0f ms", sourceToCommitP50Ms, sourceToCommitP99Ms);
        line(b, "  success rate      %.1f %% of write attempts", successRatePercent);
        line(b, "  heap              peak %.0f MB used of %.0f MB, %d GCs taking %d ms", heapPeakMb, heapMaxMb,
                gcCount, gcMillis);
        line(b, "Verification: %,d rows found in %s, %,d values in backup files written during the run", rowsFound,
                String.join(", ", tables), backupFound);
        if (passed()) {
            line(b, "PASSED: every accepted value was written exactly once or is in a backup file.");
            return b.toString();
        }
        if (unaccounted > 0) {
            line(b, "FAILED: %,d accepted values are neither in the database nor in a backup file%s.", unaccounted,
                    pending > 0 ? " (" + pending + " values were still in the buffer when the test stopped waiting;"
                            + " they are written or backed up when the gateway stops)" : "");
        }
        if (duplicates > 0) {
            line(b, "FAILED: %,d values were stored more than once (in the database and in a backup file, or in "
                    + "two backup files).", duplicates);
        }
        if (unexpected > 0) {
            line(b, "FAILED: %,d stored values were refused by the buffer or never offered.", unexpected);
        }
        return b.toString();
    }

    private static void line(StringBuilder b, String format, Object... args) {
        b.append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
