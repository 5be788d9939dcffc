package org.eprop.envs.ale;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The real ROMs for tests. They are not part of the repository: they are read from
 * {@code shared/data/roms} in the first directory above the module that has one (for a checkout at
 * {@code <dir>/main}, {@code <dir>/shared/data/roms}, i.e. {@code ../shared/data/roms} relative to
 * the repository root), or from {@code roms/} under the folder that {@code -Deprop.shared.data} or
 * {@code $EPROP_SHARED_DATA} names (a checkout elsewhere, e.g. a git worktree), and copied into a
 * test's temporary directory. Tests that need one run whenever it is there, and are skipped with a
 * message saying where it was looked for when it is absent.
 */
final class TestRoms {
    private TestRoms() {
    }

    /** Where {@code shared/data/roms} was looked for, in order. */
    static List<Path> candidates() {
        List<Path> tried = new ArrayList<>();
        String configured = System.getProperty("eprop.shared.data", System.getenv("EPROP_SHARED_DATA"));
        if (configured != null && !configured.isBlank()) {
            tried.add(Path.of(configured).resolve("roms").toAbsolutePath().normalize());
        } else {
            for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
                tried.add(d.resolve("shared").resolve("data").resolve("roms"));
            }
        }
        return tried;
    }

    /** The shared ROM directory, or null when there is none. */
    static Path sharedDir() {
        for (Path p : candidates()) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }

    /** The shared copy of {@code <game>.bin}, or a skipped test. */
    static Path shared(String game) {
        Path dir = sharedDir();
        Path src = dir == null ? null : dir.resolve(game + ".bin");
        assumeTrue(src != null && Files.isRegularFile(src), "real " + game + " ROM not found: no " + game + ".bin in "
                + (dir != null ? dir : "any of " + candidates()) + " (shared/data/roms above the repository, or roms/ "
                + "under -Deprop.shared.data / $EPROP_SHARED_DATA); skipping the tests that need it");
        return src;
    }

    /** A directory holding a copy of the real pong.bin (the test is skipped without it). */
    static Path pongDir(Path tempDir) {
        return copy("pong", tempDir);
    }

    static Path copy(String game, Path tempDir) {
        Path src = shared(game);
        try {
            Path dir = Files.createDirectories(tempDir.resolve("roms"));
            Files.copy(src, dir.resolve(game + ".bin"), StandardCopyOption.REPLACE_EXISTING);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** v5 settings for Pong with the ROM directory. */
    static AleSettings pong(Path romDir) {
        return AleSettings.v5("pong").withRomDir(romDir);
    }
}
