package org.eprop.supervised.timit;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A corpus file that cannot be used as it is: an audio file in an unsupported format, a malformed
 * {@code .PHN} line, a corpus folder without the expected layout. The message names the file (and
 * line, where there is one) and says what would fix it.
 */
public class TimitFormatException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    public TimitFormatException(Path file, String message) {
        super(file + ": " + message);
        this.file = file;
    }

    /** The file or folder at fault. */
    public Path file() {
        return file;
    }
}
