package org.eprop.envs.ale;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The project's own 4 KiB Pong-compatible cartridge (source: {@code envs/src/main/asm/pong.asm}),
 * shipped as a resource so that every machine can run the whole Atari stack without a commercial
 * ROM. ALE recognises games by file name, so it is written out as {@code pong.bin} and played
 * under ALE's Pong rules: scores in RAM $8D/$8E, 21 points end a game. No table of commercial dumps
 * lists it, so the ROM checks accept it by a checksum entry of its own
 * ({@link AleGames#TEST_CARTRIDGE_MD5}); it loads without {@code allow_unknown_rom}.
 */
public final class TestRom {
    /** The classpath resource. */
    public static final String RESOURCE = "/org/eprop/envs/ale/testrom/pong.bin";
    private static Path directory;

    private TestRom() {
    }

    /**
     * A directory holding the test cartridge as {@code pong.bin}: {@code eprop-testrom-<md5>} in the
     * temporary directory, shared by every JVM of this user and written once (atomically, so that
     * JVMs starting together do not see half a file). A per-JVM temporary directory was left behind
     * by every JVM that did not exit normally, hundreds over a day of tests.
     */
    public static synchronized Path directory() {
        if (directory == null) {
            try (InputStream in = TestRom.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the test ROM " + RESOURCE + " is missing from the classpath");
                }
                byte[] rom = in.readAllBytes();
                Path dir = Path.of(System.getProperty("java.io.tmpdir"), "eprop-testrom-"
                        + System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_") + "-"
                        + AleGames.TEST_CARTRIDGE_MD5);
                Path file = dir.resolve("pong.bin");
                if (!Files.isRegularFile(file) || !java.util.Arrays.equals(Files.readAllBytes(file), rom)) {
                    Files.createDirectories(dir);
                    Path part = Files.createTempFile(dir, "pong.bin.", ".part");
                    try {
                        Files.write(part, rom);
                        Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    } finally {
                        Files.deleteIfExists(part);
                    }
                }
                directory = dir;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the test ROM to the temporary directory "
                        + System.getProperty("java.io.tmpdir") + ": " + e.getMessage(), e);
            }
        }
        return directory;
    }

    /** ALE v5 settings for the test cartridge. */
    public static AleSettings settings() {
        return AleSettings.v5("pong").withRomDir(directory());
    }
}
