package io.tagbridge.api.sink;

import java.util.List;

import io.tagbridge.api.pipeline.ReceivedValue;

/**
 * What a batch did at its destination. {@code written + alreadyStored + toBackUp.size()} is the batch's size.
 *
 * @param written       values added, or stored over an older value
 * @param alreadyStored values whose tag and source time were stored already: the same value, or a conflict that left
 *                      the stored one
 * @param conflicting   values that met another value stored for their tag and source time (counted, never silent)
 * @param toBackUp      conflicting values the sink hands back for a backup file
 * @param conflicts     when there were conflicts: one example and what the sink did with them, for the log; else
 *                      null
 */
public record WriteResult(int written, int alreadyStored, int conflicting, List<ReceivedValue> toBackUp,
        String conflicts) {

    public WriteResult {
        toBackUp = List.copyOf(toBackUp);
    }

    /** Every value of a batch of {@code size} was added. */
    public static WriteResult allWritten(int size) {
        return new WriteResult(size, 0, 0, List.of(), null);
    }
}
