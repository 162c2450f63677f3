package io.tagbridge.buffer;

import java.util.List;

import io.tagbridge.api.pipeline.BackupException;
import io.tagbridge.api.pipeline.DropReason;
import io.tagbridge.api.pipeline.ReceivedValue;

/**
 * Gives the oldest values a target gave up their end (a spill to backup, a drop, an expiry): returns null when they
 * were backed up, else why they were dropped.
 */
interface Taker {
    DropReason take(String target, List<ReceivedValue> values) throws BackupException;
}
