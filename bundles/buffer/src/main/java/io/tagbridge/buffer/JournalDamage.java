package io.tagbridge.buffer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.pipeline.Diagnosis;
import io.tagbridge.buffer.journal.JournalEvents;
import io.tagbridge.buffer.journal.Segment;

/**
 * What the journal found damaged or unreadable, told as it reads: logged once, counted, and said in health. Bytes
 * an unclean stop left torn after the last sync are that stop's cost, not the disk's: they are logged as such and
 * not counted here.
 */
final class JournalDamage implements JournalEvents {

    private static final Logger LOG = LoggerFactory.getLogger(JournalDamage.class);
    /** How long health says that damaged bytes were skipped. */
    static final Duration SHOWN = Duration.ofMinutes(5);

    /** The run before did not stop in order: damage after its last sync is the cost of that, not of the disk. */
    private final boolean lastStopUnclean;
    private volatile long bytes;
    private volatile long lastDamageMillis = -1;
    private final List<String> unreadable = new CopyOnWriteArrayList<>();

    JournalDamage(boolean lastStopUnclean) {
        this.lastStopUnclean = lastStopUnclean;
    }

    @Override
    public void damaged(Segment segment, int offset, long bytes, long values, String what, boolean afterLastSync) {
        if (afterLastSync && lastStopUnclean) {
            LOG.warn("Journal segment {}: {} bytes ({} values) written after its last sync to disk did not all "
                    + "reach it before the gateway stopped uncleanly, and were skipped: {}. They were plain offers "
                    + "(values answered as durable were synced); if the power was cut, check the gateway's power "
                    + "supply", segment, bytes, values, what);
            return;
        }
        this.bytes += bytes;
        lastDamageMillis = System.currentTimeMillis();
        LOG.error("Journal segment {} is damaged at byte {}: {} bytes ({} values) skipped: {}. A copy of the "
                + "segment is kept in journal/damaged; check the disk", segment, offset, bytes, values, what);
    }

    @Override
    public void unreadable(String file, String why) {
        unreadable.add(file + ": " + why);
        LOG.error("Journal segment {} cannot be read: {}. Its values are not forwarded. If a newer Tagbridge wrote "
                + "it, run that version to forward them; then delete it from journal/unreadable", file, why);
    }

    /** Damaged bytes the ledger counted in runs before this one. */
    void countedBefore(long damagedBytes) {
        bytes += damagedBytes;
    }

    /** Damaged bytes skipped so far, this run and the ones before. */
    long bytes() {
        return bytes;
    }

    /** JOURNAL_FORMAT_UNKNOWN while a segment could not be read, JOURNAL_DAMAGED shortly after damage; else null. */
    Diagnosis formatUnknown() {
        if (unreadable.isEmpty()) {
            return null;
        }
        return new Diagnosis("JOURNAL_FORMAT_UNKNOWN", unreadable.size() + " journal segment(s) cannot be read "
                + "and were moved, untouched, to journal/unreadable: their values are not forwarded. If a newer "
                + "Tagbridge wrote them, run that version; then delete them there", String.join("; ", unreadable));
    }

    /** JOURNAL_DAMAGED for {@link #SHOWN} after damaged bytes were skipped; else null. */
    Diagnosis recentDamage() {
        if (lastDamageMillis < 0 || System.currentTimeMillis() - lastDamageMillis >= SHOWN.toMillis()) {
            return null;
        }
        return Diagnosis.of("JOURNAL_DAMAGED", bytes + " damaged journal bytes were skipped (a copy is in "
                + "journal/damaged); check the disk of the data directory");
    }
}
