package io.tagbridge.buffer;

import static io.tagbridge.buffer.CheckNotes.number;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.tagbridge.api.pipeline.JournalCheck;
import io.tagbridge.api.pipeline.JournalCheck.Severity;

/** The ledger copy a start would use ({@code file}, null when neither can be read), and what was found of the two. */
record LedgerCopy(Ledger ledger, String file, Instant written, String currentState, String previousState) {

    /** How often a journal in use is looked at again for its ledger, while it is being replaced. */
    private static final int LEDGER_TRIES = 10;

    /**
     * The copy a start would use. While a gateway runs, it replaces the ledger every sync interval, and for a moment
     * there is no {@code ledger.properties}: then it is read again.
     */
    static LedgerCopy read(Path directory, boolean inUse) {
        Path current = directory.resolve(Ledger.FILE);
        Path previous = directory.resolve(Ledger.PREVIOUS);
        for (int attempt = 1; ; attempt++) {
            Instant written = JournalFiles.modified(current);
            Ledger ledger = Ledger.readCopy(current);
            if (ledger != null) {
                return new LedgerCopy(ledger, Ledger.FILE, written, "readable", state(previous));
            }
            if (!inUse || attempt >= LEDGER_TRIES) {
                break;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Ledger older = Ledger.readCopy(previous);
        return new LedgerCopy(older, older == null ? null : Ledger.PREVIOUS, older == null ? null : JournalFiles.modified(previous),
                state(current), older == null ? state(previous) : "readable");
    }

    private static String state(Path copy) {
        if (!Files.exists(copy)) {
            return "missing";
        }
        return Ledger.readCopy(copy) != null ? "readable" : "unreadable";
    }

    /** The copy as the check reports it; null when none could be read. */
    JournalCheck.Ledger toApi() {
        Ledger l = ledger;
        if (l == null) {
            return null;
        }
        Map<String, Long> refused = new LinkedHashMap<>();
        l.refused().forEach((reason, n) -> {
            if (n > 0) {
                refused.put(reason.name(), n);
            }
        });
        return new JournalCheck.Ledger(file, written, l.headSeq(), l.offered(), l.accepted(), refused,
                l.damagedBytes(), l.cleanStop(), l.uncleanStops());
    }

    /** What the check says of the ledger, {@code held} values being in the journal. */
    void findings(CheckNotes notes, long held) {
        if (ledger != null) {
            if (Ledger.PREVIOUS.equals(file)) {
                boolean damaged = "unreadable".equals(currentState);
                notes.add(damaged ? Severity.PROBLEM : Severity.WARNING, "LEDGER_PREVIOUS", Ledger.FILE, -1, -1, -1,
                        Ledger.FILE + " is " + currentState + "; a start uses " + Ledger.PREVIOUS + ", written "
                                + "one sync interval earlier"
                                + (damaged ? ". The file is damaged (or was written by a newer Tagbridge)"
                                        : ": the gateway stopped while it replaced the ledger"),
                        "nothing is lost: targets read a little more again, and values accepted after it are "
                                + "counted from the journal" + (damaged ? ". Check the disk (dmesg, smartctl -a)" : ""));
            }
            return;
        }
        boolean values = held > 0;
        notes.add(values ? Severity.PROBLEM : Severity.NOTE, "NO_LEDGER", Ledger.FILE, -1, -1, -1,
                "no ledger can be read (" + Ledger.FILE + " " + currentState + ", " + Ledger.PREVIOUS + " "
                        + previousState + ")" + (values ? ": the counters and the targets' positions are "
                                + "lost, and a start hands every value the journal holds (" + number(held) + ") to "
                                + "every target again" : ": a new journal, or one a gateway has not written a ledger "
                                + "for yet"),
                values ? "nothing to repair: rows already in a table are stored once (valuesAlreadyStored), and "
                        + "the counters start again from zero. If a ledger file was moved away, put it back before "
                        + "the next start; if it is damaged, check the disk (dmesg, smartctl -a)" : "nothing to do");
    }
}
