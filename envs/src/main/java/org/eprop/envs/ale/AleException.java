package org.eprop.envs.ale;

/**
 * Base of the errors of the ALE backend. They are thrown in Java before any native call that
 * would otherwise end the JVM (ALE 0.6 calls {@code exit(1)} on a missing file, crashes on an
 * unsupported name and hangs on a garbage image), so a caller can catch them and carry on.
 */
public class AleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AleException(String message) {
        super(message);
    }

    public AleException(String message, Throwable cause) {
        super(message, cause);
    }
}
