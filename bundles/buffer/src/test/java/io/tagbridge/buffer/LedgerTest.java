package io.tagbridge.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tagbridge.api.RefusalReason;
import io.tagbridge.api.pipeline.DropReason;

/** The ledger file: what it is written with it reads back, and a damaged copy is never believed. */
class LedgerTest {

    @TempDir
    Path dir;

    private static Ledger ledger(long head, boolean cleanStop) {
        Counters counters = new Counters();
        counters.written = 90;
        counters.alreadyStored = 3;
        counters.backedUp = 5;
        counters.drop(DropReason.OVERFLOW, 2);
        Map<RefusalReason, Long> refused = new EnumMap<>(RefusalReason.class);
        for (RefusalReason reason : RefusalReason.values()) {
            refused.put(reason, reason == RefusalReason.BUFFER_FULL ? 7L : 0L);
        }
        return new Ledger(head, 113, 100, refused, 64, List.of(new LedgerTarget("plant = 1", List.of("line1.*",
                "line2.?"), head - 10, counters, 100, -1).withLive(head - 5, head - 2)), cleanStop, 2, 6,
                List.of(new ClockJumps.Jump(head - 20, 1_800_000_000_000_000L, 31_536_000_000_000L)));
    }

    @Test
    void aSavedLedgerLoadsBackWithEveryCounterAndTarget() throws IOException {
        Ledger saved = ledger(100, false);
        saved.save(dir);

        Ledger loaded = Ledger.load(dir);
        assertThat(loaded.headSeq()).isEqualTo(100);
        assertThat(loaded.offered()).isEqualTo(113);
        assertThat(loaded.accepted()).isEqualTo(100);
        assertThat(loaded.filtered()).as("values the deadband filtered").isEqualTo(6);
        assertThat(loaded.jumps()).as("a jump of the clock, a year ahead")
                .containsExactly(new ClockJumps.Jump(80, 1_800_000_000_000_000L, 31_536_000_000_000L));
        assertThat(loaded.refused()).containsEntry(RefusalReason.BUFFER_FULL, 7L);
        assertThat(loaded.damagedBytes()).isEqualTo(64);
        assertThat(loaded.cleanStop()).isFalse();
        assertThat(loaded.uncleanStops()).isEqualTo(2);
        LedgerTarget target = loaded.targets().get(0);
        assertThat(target.name()).isEqualTo("plant = 1");
        assertThat(target.filter()).containsExactly("line1.*", "line2.?");
        assertThat(target.seq()).isEqualTo(90);
        assertThat(target.counters().written).isEqualTo(90);
        assertThat(target.counters().backedUp).isEqualTo(5);
        assertThat(target.routed()).isEqualTo(100);
        assertThat(target.liveFrom()).as("where a live lane's split was, for the record").isEqualTo(95);
        assertThat(target.liveTo()).isEqualTo(98);
        assertThat(loaded.oldestNeeded()).isEqualTo(90);
    }

    @Test
    void aCopyWhoseChecksumDoesNotMatchIsPassedOverForThePreviousOne() throws IOException {
        ledger(100, true).save(dir);
        ledger(200, true).save(dir);
        Path current = dir.resolve(Ledger.FILE);
        Files.writeString(current, Files.readString(current, StandardCharsets.UTF_8).replace("head=200", "head=900"));

        assertThat(Ledger.readCopy(current)).as("the damaged copy").isNull();
        assertThat(Ledger.load(dir).headSeq()).as("the previous copy").isEqualTo(100);
    }

    @Test
    void noLedgerAtAllLoadsAsNone() {
        assertThat(Ledger.load(dir)).isNull();
    }
}
