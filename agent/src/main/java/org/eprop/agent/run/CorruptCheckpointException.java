package org.eprop.agent.run;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint file that cannot be trusted: truncated, bit-flipped, not a checkpoint at all, or of
 * an unknown format version. The message names the file, so that a failed resume says which file
 * to look at.
 */
public final class CorruptCheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public CorruptCheckpointException(Path file, String reason) {
        super("corrupt checkpoint " + file + ": " + reason);
        this.file = file;
    }

    /** The offending file (null if the bytes did not come from a file). */
    public Path file() {
        return file;
    }
}
