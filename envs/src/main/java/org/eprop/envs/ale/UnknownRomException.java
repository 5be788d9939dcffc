package org.eprop.envs.ale;

import java.nio.file.Path;

/**
 * A ROM file that looks like a cartridge but is not a known dump of the requested game: its MD5 is
 * not in the project's copy of ALE's table of known ROM checksums ({@link AleGames#KNOWN_DUMPS}).
 * It is refused before ALE sees it unless the settings allow unknown ROMs
 * ({@link AleSettings#allowUnknownRom()}, {@code env.params.allow_unknown_rom}), because about half
 * of all random files of a cartridge's size pass the content checks of {@link AleRoms} and then
 * hang ALE 0.6 forever.
 */
public final class UnknownRomException extends AleException {
    private static final long serialVersionUID = 1L;
    private final String game;
    private final transient Path file;
    private final String md5;

    public UnknownRomException(String game, Path file, String md5, String message) {
        super(message);
        this.game = game;
        this.file = file;
        this.md5 = md5;
    }

    public String game() {
        return game;
    }

    public Path file() {
        return file;
    }

    /** The file's MD5, lower-case hex. */
    public String md5() {
        return md5;
    }
}
