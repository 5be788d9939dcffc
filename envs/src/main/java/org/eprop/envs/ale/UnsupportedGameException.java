package org.eprop.envs.ale;

import java.util.Optional;

/** A game name that is not one of ALE 0.6.1's supported games. */
public final class UnsupportedGameException extends AleException {
    private static final long serialVersionUID = 1L;
    private final String requested;
    private final String suggestion;

    public UnsupportedGameException(String requested, String suggestion, String message) {
        super(message);
        this.requested = requested;
        this.suggestion = suggestion;
    }

    /** The name as given. */
    public String requested() {
        return requested;
    }

    /** The closest supported name, if one is close enough to be a likely typo. */
    public Optional<String> suggestion() {
        return Optional.ofNullable(suggestion);
    }
}
