package org.eprop.envs.ale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Frame;
import org.eprop.envs.api.FrameSpace;
import org.eprop.envs.wrappers.AtariWrappers;
import org.eprop.envs.wrappers.GrayscaleResize;
import org.eprop.learning.rng.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code observation: luma} gives, byte for byte, the gray that {@link GrayscaleResize} computes
 * from the RGB observation of the same game (the oracle: two emulators, one observed in RGB and
 * converted with OpenCV's fixed-point luma, one in luma through the palette table), over episodes,
 * resets and seeded reloads, on the project's cartridge and on real Pong.
 */
class AleLumaTest {
    @TempDir
    Path tmp;

    private AleSettings cartridge(String which) {
        return which.equals("test-rom") ? TestRom.settings() : TestRoms.pong(TestRoms.pongDir(tmp));
    }

    private static void assertSameGray(Frame rgb, Frame luma, String where) {
        byte[] expected = new byte[210 * 160];
        GrayscaleResize.toGray(rgb, expected);
        assertArrayEquals(expected, luma.pixels(), where);
    }

    @ParameterizedTest
    @ValueSource(strings = {"test-rom", "real-pong"})
    void lumaIsTheGrayOfTheRgbScreen(String which) {
        AleSettings s = cartridge(which).withMaxEpisodeFrames(400);
        try (AleEnv rgb = new AleEnv(s); AleEnv luma = new AleEnv(s.withObservation(AleSettings.Observation.LUMA))) {
            assertEquals(new FrameSpace(210, 160, 1), luma.observationSpace());
            Rng actions = new Rng(3);
            Set<Integer> levels = new HashSet<>();
            int n = ((org.eprop.envs.api.Discrete) rgb.actionSpace()).n();
            for (int episode = 0; episode < 6; episode++) {
                // seeded resets reload the ROM (a new emulator, a new screen buffer); the others do not
                Frame c = episode % 3 == 0 ? rgb.reset(episode).observation() : rgb.reset().observation();
                Frame g = episode % 3 == 0 ? luma.reset(episode).observation() : luma.reset().observation();
                assertSameGray(c, g, which + ": episode " + episode + ", reset");
                for (int t = 0; ; t++) {
                    int a = (int) ((actions.nextLong() >>> 1) % n);
                    var sc = rgb.step(a);
                    var sg = luma.step(a);
                    assertSameGray(sc.observation(), sg.observation(), which + ": episode " + episode + ", step " + t);
                    assertEquals(sc.reward(), sg.reward());
                    assertEquals(sc.done(), sg.done());
                    for (byte v : sg.observation().pixels()) {
                        levels.add(v & 0xFF);
                    }
                    if (sc.done()) {
                        break;
                    }
                }
            }
            assertTrue(levels.size() >= 3, which + ": the screens show " + levels + " gray levels");
            // the colour screen is still there for videos
            assertEquals(3, luma.render().channels());
            assertTrue(luma.render().samePixels(rgb.render()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"test-rom", "real-pong"})
    void thePaperStackSeesTheSameObservationsFromLuma(String which) {
        AleSettings s = cartridge(which).withMaxEpisodeFrames(400);
        try (Env<Frame, Integer> fromRgb = AtariWrappers.paper(new AleEnv(s));
                Env<Frame, Integer> fromLuma = AtariWrappers.paper(new AleEnv(s.withObservation(
                        AleSettings.Observation.LUMA)))) {
            for (int episode = 0; episode < 3; episode++) {
                assertArrayEquals(fromRgb.reset(episode).observation().pixels(),
                        fromLuma.reset(episode).observation().pixels());
                for (int t = 0; t < 60; t++) {
                    var a = fromRgb.step(t % 3);
                    var b = fromLuma.step(t % 3);
                    assertArrayEquals(a.observation().pixels(), b.observation().pixels(), which + ": step " + t);
                    assertEquals(a.reward(), b.reward());
                    if (a.done()) {
                        assertTrue(b.done());
                        break;
                    }
                }
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aRecordingOfAGameObservedInGrayShowsItsColourScreen() throws java.io.IOException {
        AleSettings s = TestRom.settings().withMaxEpisodeFrames(60);
        java.util.List<Frame> colour = new java.util.ArrayList<>();
        java.util.List<Frame> gray = new java.util.ArrayList<>();
        try (AleEnv rgb = new AleEnv(s);
                org.eprop.envs.wrappers.RecordVideo<Integer> recorded = new org.eprop.envs.wrappers.RecordVideo<>(
                        new AleEnv(s.withObservation(AleSettings.Observation.LUMA)), tmp.resolve("videos"), "luma",
                        org.eprop.envs.wrappers.RecordVideo.everyN(1), 30)) {
            colour.add(rgb.reset(4).observation().copy());
            gray.add(recorded.reset(4).observation().copy());
            for (int t = 0; ; t++) {
                var a = rgb.step(t % 3);
                var b = recorded.step(t % 3);
                colour.add(a.observation().copy());
                gray.add(b.observation().copy());
                if (a.done()) {
                    break;
                }
            }
        }
        Path video = tmp.resolve("videos").resolve("luma-episode-0.mp4");
        assertEquals(colour.size(), org.eprop.envs.wrappers.VideoFiles.countFrames(video));
        for (int t : new int[] {0, 5, colour.size() - 1}) {
            Frame decoded = org.eprop.envs.wrappers.VideoFiles.frame(video, t);
            double toColour = 0;
            double toGray = 0;
            for (int y = 0; y < 210; y++) {
                for (int x = 0; x < 160; x++) {
                    for (int c = 0; c < 3; c++) {
                        toColour += Math.abs(decoded.get(y, x, c) - colour.get(t).get(y, x, c));
                        toGray += Math.abs(decoded.get(y, x, c) - gray.get(t).get(y, x, 0));
                    }
                }
            }
            double n = 3 * 210 * 160;
            assertTrue(toColour / n <= 4.0 && toColour < toGray / 2, "frame " + t + ": the video shows the colour "
                    + "screen (mean error " + toColour / n + "), not the gray observation (" + toGray / n + ")");
        }
    }
}
