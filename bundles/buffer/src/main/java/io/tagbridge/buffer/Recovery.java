package io.tagbridge.buffer;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.pipeline.DropReason;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.UncleanStop;
import io.tagbridge.buffer.journal.Journal;
import io.tagbridge.buffer.journal.Position;

/**
 * The buffer at a start: its targets and counters taken back from the ledger, the values accepted after the ledger
 * was last written counted, and whether the run before stopped in order.
 */
final class Recovery {

    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    /** How the run before ended: the unclean stops counted so far, and this one's details if it was unclean. */
    record LastRun(long uncleanStops, UncleanStop uncleanStop) {
    }

    private Recovery() {
    }

    /** Takes the targets and counters back from the ledger, and counts what was accepted after it was written. */
    static void restore(Ledger ledger, Journal journal, Signals signals, Door door, JournalDamage damage) {
        if (ledger == null) {
            return;
        }
        door.restoreCounts(ledger);
        damage.countedBefore(ledger.damagedBytes());
        long tornAway = Math.max(0, ledger.headSeq() - journal.nextSeq());
        if (tornAway > 0) {
            LOG.error("Journal: {} values the ledger counted as accepted were lost with the end of the journal "
                    + "(a power cut before they reached the disk?); they are counted as dropped", tornAway);
        }
        for (LedgerTarget t : ledger.targets()) {
            if (t.seq() < ledger.headSeq() && tornAway > 0) {
                t.counters().drop(DropReason.JOURNAL_DAMAGED, ledger.headSeq() - Math.max(t.seq(), journal.nextSeq()));
            }
            long seq = Math.max(t.seq(), journal.firstSeq());
            Target target = new Target(journal, signals, t.name(), TagFilter.of(t.filter()), journal.position(seq),
                    t.counters(), journal.nextSeq());
            target.routed = t.routed();
            if (t.deletedAtMillis() >= 0) {
                target.markDeleted(t.deletedAtMillis());
            }
            door.restore(target);
        }
        door.restored();
        countAfter(ledger.headSeq(), journal, door);
    }

    /**
     * Counts the values the journal holds beyond the ledger's head: accepted after it was last written. Values lost
     * to damage among them (a power cut can leave a hole where pages did not reach the disk while later ones did)
     * were accepted too: they are routed to every target, which counts them as dropped when it reads past them.
     */
    private static void countAfter(long headSeq, Journal journal, Door door) {
        if (journal.nextSeq() <= headSeq) {
            return;
        }
        Position p = journal.position(headSeq);
        List<ReceivedValue> chunk = new ArrayList<>();
        long counted = 0;
        long lost = 0;
        int read;
        do {
            read = journal.read(p, chunk, 10_000, null);
            for (ReceivedValue v : chunk) {
                for (Target t : door.routing()) {
                    if (t.filter().test(v.value().tagName())) {
                        t.routed++;
                    }
                }
            }
            long lostHere = p.takeLost();
            for (Target t : door.routing()) {
                t.routed += lostHere;
            }
            lost += lostHere;
            counted += chunk.size() + lostHere;
            chunk.clear();
        } while (read > 0);
        door.countRecovered(counted);
        LOG.info("Journal recovered: {} values accepted after the ledger was last written were counted{}", counted,
                lost == 0 ? "" : " (" + lost + " of them lost to damage, counted as dropped)");
    }

    /** Finds out whether the run before stopped in order, and says what a power cut may have cost if it did not. */
    static LastRun lastRun(Ledger ledger, Journal journal, Clock clock) {
        boolean hadValues = journal.nextSeq() > journal.firstSeq();
        long uncleanStops = ledger == null ? 0 : ledger.uncleanStops();
        if (ledger == null ? !hadValues : ledger.cleanStop()) {
            return new LastRun(uncleanStops, null);
        }
        Instant lastSync = instant(journal.lastSyncMarkMicros());
        Instant newestFound = instant(journal.newestReceivedMicros());
        UncleanStop stop = new UncleanStop(clock.instant(), lastSync, newestFound);
        LOG.warn("The gateway did not stop in order the last time (a power cut, a crash or a kill): the journal "
                + "was last synced to disk at {}; if the power was cut, values accepted after that may be lost "
                + "(the newest value found was accepted at {}). Values answered as durable are not affected",
                stop.lastSync() == null ? "an unknown time" : stop.lastSync(),
                stop.newestFound() == null ? "no time: the journal is empty" : stop.newestFound());
        return new LastRun(uncleanStops + 1, stop);
    }

    /** Microseconds since the epoch as an instant; null for -1, which means none. */
    private static Instant instant(long micros) {
        return micros < 0 ? null
                : Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }
}
