package io.tagbridge.api.security;

/** The answer to a caller's credentials. */
public enum Access {
    /** The credentials are right. */
    GRANTED,
    /** Missing or wrong credentials: answer 401 and ask for them. */
    DENIED,
    /** Too many failures from this client lately: answer 429 without checking, until it has waited. */
    THROTTLED
}
