package org.eprop.envs.ale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ale.ALEInterface;
import org.bytedeco.ale.ALEState;
import org.bytedeco.javacpp.IntPointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project's own test ROM ({@code envs/src/main/asm/pong.asm}, assembled to the resource
 * {@code org/eprop/envs/ale/testrom/pong.bin}), run through the raw ALE 0.6 API under ALE's Pong rules.
 */
class TestRomTest {
    static final String RESOURCE = "/org/eprop/envs/ale/testrom/pong.bin";

    // ALE actions (the minimal set for Pong is NOOP, FIRE, RIGHT, LEFT, RIGHTFIRE, LEFTFIRE)
    static final int NOOP = 0;
    static final int RIGHT = 3; // paddle up
    static final int LEFT = 4; // paddle down

    // RAM, as indices into getRAM() (address - $80)
    static final int BALL_X = 0x00; // $80: ball's left pixel, 8..152 (screen column)
    static final int BALL_Y = 0x01; // $81: ball's top line in the field, 0..156 (4 lines high)
    static final int PAD_Y = 0x04; // $84: paddle's top line in the field, 0..144 (16 lines high)
    static final int CPU_SCORE = 0x0D; // $8D
    static final int PLAYER_SCORE = 0x0E; // $8E
    static final int ALE_MODE = 0x16; // $96: must stay 0

    /** Screen row (of getScreenRGB's 210) of field line 0; the paddle covers columns 144..147. */
    static final int FIELD_TOP_ROW = 27;

    static final int PADDLE_X = 144;

    @TempDir
    Path tmp;

    /** Copies the committed ROM to {@code tmp/pong.bin}: ALE picks the game's rules by the file name. */
    private Path romFile() throws IOException {
        Path rom = tmp.resolve("pong.bin");
        try (InputStream in = TestRomTest.class.getResourceAsStream(RESOURCE)) {
            assertNotNull(in, "resource " + RESOURCE);
            Files.copy(in, rom, StandardCopyOption.REPLACE_EXISTING);
        }
        return rom;
    }

    private static ALEInterface load(Path rom) {
        assertTrue(Files.isRegularFile(rom), "ROM " + rom); // a missing file makes ALE call exit(1)
        assertEquals("pong.bin", rom.getFileName().toString()); // an unknown name crashes the JVM
        ALEInterface ale = new ALEInterface();
        ale.setInt("random_seed", 0);
        ale.setFloat("repeat_action_probability", 0f);
        ale.loadROM(rom.toString());
        return ale;
    }

    private static int ram(ALEInterface ale, int index) {
        return ale.getRAM().get(index) & 0xFF;
    }

    /** Outcome of one episode. */
    record Episode(int totalReward, int frames, boolean gameOver) {}

    interface Policy {
        int act(ALEInterface ale);
    }

    private static Episode play(ALEInterface ale, Policy policy, int maxFrames) {
        int total = 0;
        int frames = 0;
        while (!ale.game_over() && frames < maxFrames) {
            total += ale.act(policy.act(ale));
            frames++;
        }
        return new Episode(total, frames, ale.game_over());
    }

    /** Moves the paddle's centre towards the ball's centre. */
    static int track(ALEInterface ale) {
        int ballCentre = ram(ale, BALL_Y) + 2;
        int paddleCentre = ram(ale, PAD_Y) + 8;
        if (ballCentre < paddleCentre - 1) {
            return RIGHT;
        }
        if (ballCentre > paddleCentre + 1) {
            return LEFT;
        }
        return NOOP;
    }

    @Test
    void committedBinaryMatchesTheSource() throws Exception {
        Path dasm = onPath("dasm");
        assumeTrue(dasm != null, "dasm is not on the PATH: the ROM is not re-assembled "
                + "(apt-get install dasm to run this check)");
        Path source = Path.of("src/main/asm/pong.asm").toAbsolutePath();
        assertTrue(Files.isRegularFile(source), "source " + source);
        Path out = tmp.resolve("assembled.bin");
        Process p = new ProcessBuilder(dasm.toString(), source.getFileName().toString(), "-f3", "-o" + out)
                .directory(source.getParent().toFile())
                .redirectErrorStream(true)
                .start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "dasm finished");
        assertEquals(0, p.exitValue(), "dasm failed:\n" + log);
        byte[] assembled = Files.readAllBytes(out);
        byte[] committed = Files.readAllBytes(romFile());
        assertEquals(4096, committed.length, "a 4 KiB cartridge");
        assertArrayEquals(assembled, committed,
                "pong.bin is stale: rebuild it from pong.asm (see envs/src/main/asm/README.md)");
    }

    @Test
    void aleRunsItUnderPongRules() throws IOException {
        try (ALEInterface ale = load(romFile())) {
            IntPointer minimal = ale.getMinimalActionSet();
            int[] actions = new int[(int) minimal.limit()];
            minimal.get(actions);
            assertArrayEquals(new int[] {0, 1, 3, 4, 11, 12}, actions);
            assertEquals(0, ram(ale, CPU_SCORE));
            assertEquals(0, ram(ale, PLAYER_SCORE));
            assertEquals(0, ram(ale, ALE_MODE));
        }
    }

    @Test
    void noopLosesEveryPoint() throws IOException {
        try (ALEInterface ale = load(romFile())) {
            Episode e = play(ale, a -> NOOP, 5_000);
            assertTrue(e.gameOver(), "episode ended within 5000 frames: " + e);
            assertEquals(-21, e.totalReward(), e.toString());
            assertTrue(e.frames() <= 2_100, "about 96 frames a point: " + e);
            assertEquals(21, ram(ale, CPU_SCORE));
            assertEquals(0, ram(ale, PLAYER_SCORE));
        }
    }

    @Test
    void trackingPolicyWins() throws IOException {
        try (ALEInterface ale = load(romFile())) {
            Episode e = play(ale, TestRomTest::track, 5_000);
            assertTrue(e.gameOver(), "episode ended within 5000 frames: " + e);
            assertTrue(e.totalReward() > 0, e.toString());
            assertEquals(21, e.totalReward(), "the paddle (3 px/frame) outruns the ball (<= 2 px/frame): " + e);
            assertEquals(21, ram(ale, PLAYER_SCORE));
            assertEquals(0, ram(ale, CPU_SCORE));
            assertEquals(0, ram(ale, ALE_MODE));
        }
    }

    @Test
    void observationsChangeWithTheActions() throws IOException {
        try (ALEInterface ale = load(romFile())) {
            for (int i = 0; i < 10; i++) {
                ale.act(NOOP);
            }
            ALEState start = ale.cloneState();
            byte[] up = runAndGrab(ale, RIGHT, 20);
            int upY = ram(ale, PAD_Y);
            ale.restoreState(start);
            byte[] down = runAndGrab(ale, LEFT, 20);
            int downY = ram(ale, PAD_Y);
            ale.restoreState(start);
            byte[] still = runAndGrab(ale, NOOP, 20);
            int stillY = ram(ale, PAD_Y);

            assertEquals(72, stillY, "paddle starts centred and stays put under NOOP");
            assertEquals(12, upY, "RIGHT moves the paddle up 3 lines a frame");
            assertEquals(132, downY, "LEFT moves the paddle down 3 lines a frame");

            int differing = 0;
            for (int row = 0; row < 210; row++) {
                for (int col = PADDLE_X; col < PADDLE_X + 4; col++) {
                    if (!samePixel(up, down, row, col)) {
                        differing++;
                    }
                }
            }
            // the two 4x16 paddles do not overlap: 2 * 64 pixels differ
            assertEquals(128, differing, "paddle region differs between always-up and always-down");
            assertFalse(java.util.Arrays.equals(up, still));
            assertFalse(java.util.Arrays.equals(down, still));

            // the screen agrees with RAM: the paddle's pixels are at FIELD_TOP_ROW + PAD_Y
            assertTrue(lit(up, FIELD_TOP_ROW + upY, PADDLE_X));
            assertTrue(lit(up, FIELD_TOP_ROW + upY + 15, PADDLE_X + 3));
            assertFalse(lit(up, FIELD_TOP_ROW + upY + 16, PADDLE_X));
            assertTrue(lit(down, FIELD_TOP_ROW + downY, PADDLE_X));
            // and so is the ball at (BALL_X, FIELD_TOP_ROW + BALL_Y)
            int bx = ram(ale, BALL_X);
            int by = ram(ale, BALL_Y);
            assertTrue(lit(still, FIELD_TOP_ROW + by, bx) && lit(still, FIELD_TOP_ROW + by + 3, bx + 3),
                    "ball drawn at x=" + bx + " y=" + by);
            assertFalse(lit(still, FIELD_TOP_ROW + by, bx + 4));
        }
    }

    private static byte[] runAndGrab(ALEInterface ale, int action, int frames) {
        for (int i = 0; i < frames; i++) {
            ale.act(action);
        }
        byte[] rgb = new byte[210 * 160 * 3];
        ale.getScreenRGB(rgb);
        return rgb;
    }

    private static boolean samePixel(byte[] a, byte[] b, int row, int col) {
        int i = (row * 160 + col) * 3;
        return a[i] == b[i] && a[i + 1] == b[i + 1] && a[i + 2] == b[i + 2];
    }

    private static boolean lit(byte[] rgb, int row, int col) {
        int i = (row * 160 + col) * 3;
        return (rgb[i] | rgb[i + 1] | rgb[i + 2]) != 0;
    }

    @Test
    void resetWorksRepeatedly() throws IOException {
        try (ALEInterface ale = load(romFile())) {
            for (int round = 0; round < 5; round++) {
                assertTimeoutPreemptively(Duration.ofSeconds(5), ale::reset_game, "reset_game " + round);
                assertFalse(ale.game_over());
                assertEquals(0, ram(ale, CPU_SCORE));
                assertEquals(0, ram(ale, PLAYER_SCORE));
                assertEquals(0, ram(ale, ALE_MODE));
                assertEquals(72, ram(ale, PAD_Y), "RESET re-centres the paddle");
                // play into the game so the next reset starts from a changed state
                Episode e = play(ale, a -> LEFT, 150 + 40 * round);
                assertNotEquals(72, ram(ale, PAD_Y));
                assertTrue(e.totalReward() <= 0);
            }
            // after a finished episode, too
            play(ale, a -> NOOP, 5_000);
            assertTrue(ale.game_over());
            assertTimeoutPreemptively(Duration.ofSeconds(5), ale::reset_game, "reset_game after game over");
            assertFalse(ale.game_over());
            assertEquals(-21, play(ale, a -> NOOP, 5_000).totalReward());
        }
    }

    /**
     * The checksum the ROM checks accept the test cartridge by ({@link AleGames#TEST_CARTRIDGE_MD5})
     * is the shipped binary's: re-assembling the cartridge without updating it would make the
     * project refuse its own cartridge as an unknown ROM.
     */
    @Test
    void theShippedCartridgeHasTheChecksumTheRomChecksAccept() throws IOException {
        byte[] rom = Files.readAllBytes(romFile());
        assertEquals(AleGames.TEST_CARTRIDGE_MD5, AleRoms.md5(rom));
        assertTrue(AleGames.isKnownDump("pong", AleRoms.md5(rom)));
    }

    /**
     * The same NOOP harness on the real Pong cartridge, which runs wherever
     * {@code ../shared/data/roms/pong.bin} exists ({@link TestRoms}; it is not part of the repository).
     */
    @Test
    void realPongNoopAlsoLoses() throws IOException {
        Path real = TestRoms.shared("pong");
        Path rom = tmp.resolve("real").resolve("pong.bin");
        Files.createDirectories(rom.getParent());
        Files.copy(real, rom);
        try (ALEInterface ale = load(rom)) {
            Episode e = play(ale, a -> NOOP, 10_000);
            assertTrue(e.gameOver(), e.toString());
            assertEquals(-21, e.totalReward(), e.toString());
        }
    }

    private static Path onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, exe);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The cartridge is written to one shared place and left there, whole, for the next JVM. */
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
        assertEquals(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath(),
                dir.getParent().toAbsolutePath());
        assertArrayEquals(rom, Files.readAllBytes(dir.resolve("pong.bin")));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no partial files left beside it");
        }
    }
}
