package io.tagbridge.sink.jdbc;

/**
 * H2 in Oracle mode, the embedded default: Oracle's table and MERGE, but a commit is written to the file and synced
 * to disk only at a checkpoint, so a power cut can take commits it confirmed.
 */
final class H2Dialect extends OracleDialect {

    static final String PRODUCT = "H2";

    @Override
    public String makeDurable() {
        return "CHECKPOINT SYNC";
    }
}
