package org.eprop.envs.ale;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ROM search and checks: every bad case is an exception in this JVM, before ALE is called. */
class AleRomsTest {
    @TempDir
    Path tmp;

    /** A 4K image that passes the checks: reset vector $F000 pointing at SEI, varied bytes. */
    static byte[] plausibleImage() {
        byte[] d = new byte[4096];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) (i * 7 + (i >> 5));
        }
        d[0] = 0x78;
        d[4092] = 0x00;
        d[4093] = (byte) 0xF0;
        d[4094] = 0x00;
        d[4095] = (byte) 0xF0;
        return d;
    }

    /** The project's test cartridge: a known dump of Pong (by its own checksum entry). */
    static byte[] testCartridge() throws IOException {
        try (java.io.InputStream in = AleRomsTest.class.getResourceAsStream(TestRom.RESOURCE)) {
            return in.readAllBytes();
        }
    }

    private Path write(String dir, String name, byte[] content) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(dir));
        return Files.write(d.resolve(name), content);
    }

    @Test
    void aMissingRomNamesTheGameThePlacesSearchedAndHowToGetRoms() {
        Path configured = tmp.resolve("nope");
        Path envDir = tmp.resolve("envdir");
        assertDoesNotThrow(() -> Files.createDirectories(envDir));
        RomNotFoundException e = assertThrows(RomNotFoundException.class, () -> AleRoms.resolve("Pong", configured,
                Map.of(AleRoms.ENV_VAR, envDir.toString()), tmp.resolve("home")));
        String m = e.getMessage();
        assertEquals("pong", e.game());
        assertTrue(m.startsWith("No ROM for the Atari game 'pong' (requested as 'Pong'). Looked for pong.bin (or "
                + "pong.a26) in:"), m);
        assertTrue(m.contains("1. " + configured + " (rom_dir from the settings): directory does not exist"), m);
        assertTrue(m.contains("2. " + envDir + " ($EPROP_ROM_DIR): no pong.bin or pong.a26 there"), m);
        assertTrue(m.contains("3. " + tmp.resolve("home/.eprop/roms") + " (per-user default ~/.eprop/roms): "
                + "directory does not exist"), m);
        assertTrue(m.contains("How to get ROMs:") && m.contains("AutoROM") && m.contains("EPROP_ROM_DIR")
                && m.contains("envs/ROMS.md"), m);
        assertEquals(3, e.searched().size());
    }

    @Test
    void unsetPlacesAreReportedAsNotSet() {
        RomNotFoundException e = assertThrows(RomNotFoundException.class,
                () -> AleRoms.resolve("pong", null, Map.of(), tmp));
        assertTrue(e.getMessage().contains("1. (rom_dir from the settings): not set"), e.getMessage());
        assertTrue(e.getMessage().contains("2. ($EPROP_ROM_DIR): not set"), e.getMessage());
    }

    @Test
    void searchOrderIsConfiguredThenEnvironmentThenHome() throws IOException {
        byte[] rom = testCartridge();
        Path a = write("a", "pong.bin", rom).getParent();
        Path b = write("b", "pong.bin", rom).getParent();
        Path home = tmp.resolve("home");
        Path c = write("home/.eprop/roms", "pong.bin", rom).getParent();
        Map<String, String> env = Map.of(AleRoms.ENV_VAR, b.toString());
        assertEquals(a.resolve("pong.bin"), AleRoms.resolve("pong", a, env, home));
        assertEquals(b.resolve("pong.bin"), AleRoms.resolve("pong", tmp.resolve("empty"), env, home));
        assertEquals(c.resolve("pong.bin"), AleRoms.resolve("pong", null, Map.of(), home));
    }

    @Test
    void a26AndUpperCaseNamesAreFound() throws IOException {
        Path d = write("x", "PONG.A26", testCartridge()).getParent();
        Path found = AleRoms.resolve("pong", d, Map.of(), tmp);
        assertEquals("pong.a26", found.getFileName().toString().toLowerCase());
    }

    @Test
    void anUnsupportedNameFailsBeforeAnySearch() {
        UnsupportedGameException e = assertThrows(UnsupportedGameException.class,
                () -> new AleEnv(AleSettings.v5("mygame").withRomDir(tmp)));
        assertTrue(e.getMessage().contains("'mygame' is not an Atari game supported by ALE 0.6.1"), e.getMessage());
        assertTrue(e.getMessage().contains("pong, pooyan"), e.getMessage());
    }

    @Test
    void corruptFilesAreRejectedWithTheReason() throws IOException {
        byte[] random100 = new byte[100];
        new Random(1).nextBytes(random100);
        assertCorrupt(random100, "100 bytes; Atari 2600 images are 2048..65536 bytes");
        assertCorrupt(new byte[0], "the file is empty");
        assertCorrupt("hello this is text\n".repeat(108).substring(0, 2048).getBytes(StandardCharsets.US_ASCII),
                "looks like a text file");
        assertCorrupt(new byte[4096], "all 4096 bytes are 0x00 (a blank image)");
        byte[] zip = plausibleImage();
        zip[0] = 'P';
        zip[1] = 'K';
        zip[2] = 3;
        zip[3] = 4;
        assertCorrupt(zip, "ZIP archive");
        byte[] badVector = plausibleImage();
        badVector[4093] = 0x00; // $0000: not cartridge space
        assertCorrupt(badVector, "no bank has a usable reset vector (reset vector $0000 points outside cartridge");
        byte[] kil = plausibleImage();
        kil[0] = 0x02;
        assertCorrupt(kil, "points at byte $02, which no program starts with");
        byte[] odd = new byte[3000];
        System.arraycopy(plausibleImage(), 0, odd, 0, 3000);
        assertCorrupt(odd, "3000 bytes");
    }

    private void assertCorrupt(byte[] content, String reason) throws IOException {
        Path dir = write("corrupt-" + Integer.toHexString(reason.hashCode()), "pong.bin", content).getParent();
        CorruptRomException e = assertThrows(CorruptRomException.class,
                () -> new AleEnv(AleSettings.v5("pong").withRomDir(dir)));
        String m = e.getMessage();
        assertTrue(m.startsWith("The ROM file " + dir.resolve("pong.bin") + " for the Atari game 'pong' is not a "
                + "usable Atari 2600 cartridge image: "), m);
        assertTrue(m.contains(reason), m);
        assertTrue(m.contains("It was not given to ALE") && m.contains("How to get ROMs:"), m);
        assertEquals("pong", e.game());
    }

    @Test
    void plausibleSizes() {
        for (int n : new int[] {2048, 4096, 8192, 12288, 16384, 32768, 65536, 8448, 33792, 10495}) {
            assertTrue(AleRoms.plausibleSize(n), "size " + n);
        }
        for (int n : new int[] {0, 100, 1024, 2047, 3000, 65537, 131072}) {
            assertTrue(!AleRoms.plausibleSize(n), "size " + n);
        }
        assertNull(AleRoms.problem(plausibleImage()));
    }

    @Test
    void theSharedRealRomsPassAndAnotherGamesDumpIsRejected() throws IOException {
        Path pong = TestRoms.shared("pong");
        for (String g : new String[] {"pong", "breakout", "space_invaders", "seaquest", "beam_rider", "qbert",
            "enduro", "fishing_derby"}) {
            Path f = pong.resolveSibling(g + ".bin");
            if (Files.isRegularFile(f)) {
                assertTrue(AleRoms.validate(g, f, false).known(), g);
                assertNull(AleRoms.problem(Files.readAllBytes(f)), g + " passes the heuristics too");
            }
        }
        Path breakout = pong.resolveSibling("breakout.bin");
        if (Files.isRegularFile(breakout)) {
            Path dir = write("renamed", "pong.bin", Files.readAllBytes(breakout)).getParent();
            CorruptRomException e = assertThrows(CorruptRomException.class,
                    () -> AleRoms.resolve("pong", dir, Map.of(), tmp));
            assertTrue(e.getMessage().contains("it is the known ALE dump of 'breakout'"), e.getMessage());
        }
    }
}
