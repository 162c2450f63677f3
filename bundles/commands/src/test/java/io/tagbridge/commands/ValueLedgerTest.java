package io.tagbridge.commands;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ValueLedgerTest {

    @Test
    void everyAcceptedValueFoundOnceLeavesNothingUnaccounted() {
        ValueLedger ledger = new ValueLedger();
        ledger.accepted(0, 500);
        ledger.accepted(500, 500);
        for (int seq = 999; seq >= 0; seq--) {
            ledger.found(seq);
        }

        assertThat(ledger.accepted()).isEqualTo(1000);
        assertThat(ledger.unaccounted()).isZero();
        assertThat(ledger.duplicates()).isZero();
        assertThat(ledger.unexpected()).isZero();
    }

    @Test
    void aMissingValueADuplicateAndARefusedValueThatWasStoredAllShow() {
        ValueLedger ledger = new ValueLedger();
        ledger.accepted(0, 10);
        ledger.accepted(20, 10);
        for (int seq = 0; seq < 30; seq++) {
            if (seq != 3 && (seq < 10 || seq >= 20)) {
                ledger.found(seq);
            }
        }
        ledger.found(7);
        ledger.found(15);

        assertThat(ledger.unaccounted()).isEqualTo(1);
        assertThat(ledger.duplicates()).isEqualTo(1);
        assertThat(ledger.unexpected()).isEqualTo(1);
    }
}
