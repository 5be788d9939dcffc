package org.eprop.envs.ale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The test cartridge is written to one shared place and left there, whole, for the next JVM. */
class TestRomTest {

    @Test
    void theCartridgeLivesInOneSharedFolderNamedByItsChecksum() throws Exception {
        byte[] rom;
        try (InputStream in = TestRom.class.getResourceAsStream(TestRom.RESOURCE)) {
            rom = in.readAllBytes();
        }
        Path dir = TestRom.directory();
        assertEquals(dir, TestRom.directory(), "once per JVM");
        assertTrue(dir.getFileName().toString().startsWith("eprop-testrom-")
                && dir.getFileName().toString().endsWith(AleGames.TEST_CARTRIDGE_MD5), dir.toString());
        assertEquals(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath(), dir.getParent().toAbsolutePath());
        assertArrayEquals(rom, Files.readAllBytes(dir.resolve("pong.bin")));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no partial files left beside it");
        }
    }
}
