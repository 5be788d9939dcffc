package org.eprop.envs.ale;

import java.nio.file.Path;
import java.util.List;

/** No ROM file for a supported game in any of the places searched (or one that cannot be read). */
public final class RomNotFoundException extends AleException {
    private static final long serialVersionUID = 1L;
    private final String game;
    private final transient List<Path> searched;

    public RomNotFoundException(String game, List<Path> searched, String message) {
        super(message);
        this.game = game;
        this.searched = List.copyOf(searched);
    }

    /** The (canonical) game name. */
    public String game() {
        return game;
    }

    /** The directories searched, in order. */
    public List<Path> searched() {
        return searched;
    }
}
