package org.eprop.envs.ale;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The real Pong ROM for tests. It is not part of the repository: it is read from
 * {@code ../shared/data/roms} next to the repository root (from the envs module directory,
 * {@code ../../shared/data/roms}) and copied into a test's temporary directory. Tests that need
 * it are skipped, with a message saying where it was looked for, when it is absent.
 */
final class TestRoms {
    /** The shared ROM directory, seen from the envs module directory (surefire's working directory). */
    static final Path SHARED = Path.of("..", "..", "shared", "data", "roms");

    private TestRoms() {
    }

    /** The shared copy of {@code <game>.bin}, or a skipped test. */
    static Path shared(String game) {
        Path src = SHARED.resolve(game + ".bin").toAbsolutePath().normalize();
        assumeTrue(Files.isRegularFile(src), "real " + game + " ROM not found at " + src
                + " (../shared/data/roms relative to the repository root); skipping the tests that need it");
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
