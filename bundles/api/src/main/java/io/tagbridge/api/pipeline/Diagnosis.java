package io.tagbridge.api.pipeline;

import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Why something is in the state it is in, said three ways: a reason code for scripts and alert rules, advice for
 * the operator, and the error as it was raised. The error may name hosts, URLs or users, so it is kept apart
 * from the rest, which never does.
 *
 * @param reason a reason code in upper case, e.g. {@code NO_LISTENER}
 * @param advice what it means and what to do, in words for an operator
 * @param error  the error as raised (the database's message and codes); empty when there is none
 */
@ProviderType
public record Diagnosis(String reason, String advice, String error) {

    public Diagnosis {
        Objects.requireNonNull(reason, "reason");
        advice = advice == null ? "" : advice;
        error = error == null ? "" : error;
    }

    /** A diagnosis without an error text. */
    public static Diagnosis of(String reason, String advice) {
        return new Diagnosis(reason, advice, "");
    }
}
