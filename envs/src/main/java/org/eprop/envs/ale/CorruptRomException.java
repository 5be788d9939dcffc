package org.eprop.envs.ale;

import java.nio.file.Path;

/**
 * A ROM file that exists but is not a plausible Atari 2600 cartridge image for the game (wrong
 * size, a text or archive file, no reset vector, or the known dump of another game). It is
 * rejected before ALE sees it: ALE 0.6 loops forever on such images.
 */
public final class CorruptRomException extends AleException {
    private static final long serialVersionUID = 1L;
    private final String game;
    private final transient Path file;

    public CorruptRomException(String game, Path file, String message) {
        super(message);
        this.game = game;
        this.file = file;
    }

    public String game() {
        return game;
    }

    public Path file() {
        return file;
    }
}
