package io.tagbridge.api.sink;

import io.tagbridge.api.pipeline.Diagnosis;

/**
 * A failed write, classified by the sink that met it.
 *
 * @param kind      what the engine does about it
 * @param diagnosis as health shows it: a reason code and advice that name no host, URL or user, and the
 *                  destination's own message apart
 * @param line      one line for the log: the destination's message with its codes, and what to do when known
 */
public record SinkFailure(FailureKind kind, Diagnosis diagnosis, String line) {
}
