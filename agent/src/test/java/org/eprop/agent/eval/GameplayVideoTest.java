package org.eprop.agent.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eprop.envs.ale.AleEnvironments;
import org.eprop.envs.ale.AleParams;
import org.eprop.envs.ale.AleSettings;
import org.eprop.envs.api.Frame;
import org.eprop.envs.registry.BoundEnv;
import org.eprop.envs.registry.EnvSpec;
import org.eprop.envs.registry.GameSpec;
import org.eprop.envs.wrappers.VideoFiles;
import org.eprop.learning.rng.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gameplay video on the project's test cartridge: the random policy plays {@code ale/test-pong}
 * with a fake spike source; every video frame shows the emulator frame the policy acted on and the
 * spikes it reported for that step.
 */
class GameplayVideoTest {
    private static final int NEURONS = 8;
    private static final int STEPS = 2;
    private static final int WINDOW = 10;

    /** Fires neuron j at network step s of agent step t iff (t + 2 j + s) % 3 == 0. */
    static boolean fires(int t, int s, int j) {
        return (t + 2 * j + s) % 3 == 0;
    }

    /** The random policy, with made-up spikes, keeping a copy of every screen it acts on. */
    static final class FakeSpiking implements Policy<Frame> {
        final RandomPolicy<Frame> random;
        final List<List<Frame>> seen = new ArrayList<>();
        final boolean[][] spikes = new boolean[STEPS][NEURONS];
        int t;

        FakeSpiking(int actions) {
            random = new RandomPolicy<>(actions);
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public int actions() {
            return random.actions();
        }

        @Override
        public void reset(int rows) {
            t = 0;
            seen.add(new ArrayList<>());
        }

        @Override
        public void act(List<Frame> observations, boolean[] episodeStart, boolean greedy, Rng rng, int[] actions) {
            seen.get(seen.size() - 1).add(observations.get(0).copy());
            for (int s = 0; s < STEPS; s++) {
                for (int j = 0; j < NEURONS; j++) {
                    spikes[s][j] = fires(t, s, j);
                }
            }
            t++;
            random.act(observations, episodeStart, greedy, rng, actions);
        }

        @Override
        public double[] probabilities(int row) {
            return random.probabilities(row);
        }

        @Override
        public double value(int row) {
            return Math.sin(t / 5.0);
        }

        @Override
        public int neurons() {
            return NEURONS;
        }

        @Override
        public int networkSteps() {
            return STEPS;
        }

        @Override
        public boolean[][] spikes(int row) {
            return spikes;
        }
    }

    private static BoundEnv<AleParams> testPong() {
        return testPong(AleParams.defaults().observation());
    }

    @SuppressWarnings("unchecked")
    private static BoundEnv<AleParams> testPong(AleSettings.Observation observation) {
        for (EnvSpec<?> s : AleEnvironments.all()) {
            if (s.id().equals(AleEnvironments.TEST_PONG)) {
                AleParams d = AleParams.defaults();
                // 60 frames at frameskip 4: episodes of 15 agent steps (truncated), to keep the test short
                AleParams p = new AleParams(d.romDir(), d.preset(), 4, d.repeatActionProbability(),
                        d.fullActionSpace(), 60, observation, d.preprocessing(), d.verbose());
                return new BoundEnv<>((GameSpec<AleParams, Frame, Integer>) s, p);
            }
        }
        throw new AssertionError("no " + AleEnvironments.TEST_PONG);
    }

    private static int luma(int r, int g, int b) {
        return (299 * r + 587 * g + 114 * b) / 1000;
    }

    /** {mean absolute brightness error, fraction of pixels off by more than 30} over the screen region. */
    private static double[] screenError(Frame decoded, Frame screen) {
        double sum = 0;
        int bad = 0;
        for (int y = 0; y < screen.height(); y++) {
            for (int x = 0; x < screen.width(); x++) {
                int err = Math.abs(luma(decoded.get(y, x, 0), decoded.get(y, x, 1), decoded.get(y, x, 2))
                        - luma(screen.get(y, x, 0), screen.get(y, x, 1), screen.get(y, x, 2)));
                sum += err;
                bad += err > 30 ? 1 : 0;
            }
        }
        int n = screen.height() * screen.width();
        return new double[] {sum / n, (double) bad / n};
    }

    @Test
    void theVideoShowsTheEmulatorsFramesAndTheReportedSpikesInSync(@TempDir Path tmp) throws IOException {
        FakeSpiking policy = new FakeSpiking(6);
        Path videos = tmp.resolve("videos");
        Evaluation.Result r = Evaluation.run(Evaluation.game(testPong(), Frame.class), List.of(policy),
                new Evaluation.Settings(2, 7, false, videos, WINDOW, 15), tmp.resolve("eval"), Map.of("env", "test"));
        assertEquals(List.of(videos.resolve("fake-episode-0.mp4"), videos.resolve("fake-episode-1.mp4")), r.videos());
        GameplayRenderer.Layout l = new GameplayRenderer(210, 160, NEURONS, STEPS, 6, WINDOW).layout();
        assertEquals(1, l.scale());
        assertEquals(NEURONS, l.rasterRows());
        assertEquals(WINDOW * STEPS, l.rasterColumns());
        for (int e = 0; e < 2; e++) {
            Path video = r.videos().get(e);
            int length = r.episodes().get(e).length();
            List<Frame> seen = policy.seen.get(e);
            assertEquals(15, length, "truncated by the frame cap");
            assertEquals(length, seen.size());
            assertEquals(length, VideoFiles.countFrames(video), "one frame per agent step");
            assertEquals(new VideoFiles.Dimensions(l.width(), l.height()), VideoFiles.dimensions(video));
            for (int t : new int[] {0, 1, 7, length - 1}) {
                Frame decoded = VideoFiles.frame(video, t);
                Frame screen = seen.get(t);
                double[] right = screenError(decoded, screen);
                // H.264 rings at the game's hard edges (RecordVideo's own videos of this cartridge
                // too): a few pixels by up to ~60 levels, so count them rather than bound the worst
                assertTrue(right[0] <= 2.0 && right[1] <= 0.01, "episode " + e + " frame " + t + ": mean brightness "
                        + "error " + right[0] + ", fraction off by more than 30: " + right[1]);
                for (int u : new int[] {t - 1, t + 1}) {
                    if (u >= 0 && u < length && !seen.get(u).samePixels(screen)) {
                        double[] wrong = screenError(decoded, seen.get(u));
                        assertTrue(right[0] < wrong[0], "frame " + t + " looks more like step " + u + ": " + right[0]
                                + " vs " + wrong[0]);
                    }
                }
                // raster: column c shows network step (t + 1) * STEPS - columns + c of the episode
                for (int c = 0; c < l.rasterColumns(); c++) {
                    int g = (t + 1) * STEPS - l.rasterColumns() + c;
                    for (int j = 0; j < NEURONS; j++) {
                        boolean want = g >= 0 && fires(g / STEPS, g % STEPS, j);
                        int x = l.rasterX() + c * l.cellWidth() + l.cellWidth() / 2;
                        int y = l.rasterY() + j * l.cellHeight() + l.cellHeight() / 2;
                        int got = luma(decoded.get(y, x, 0), decoded.get(y, x, 1), decoded.get(y, x, 2));
                        assertTrue(want ? got > 160 : got < 90, "episode " + e + " frame " + t + " column " + c
                                + " neuron " + j + ": spike " + want + ", brightness " + got);
                    }
                }
            }
        }
    }

    @Test
    void aGameObservedInGrayIsRecordedInColour(@TempDir Path tmp) throws IOException {
        // the same episode twice, observed in colour and in gray (same seeds, same actions)
        FakeSpiking inColour = new FakeSpiking(6);
        Evaluation.run(Evaluation.game(testPong(), Frame.class), List.of(inColour),
                new Evaluation.Settings(1, 7, false, null, WINDOW, 15), tmp.resolve("rgb"), Map.of("env", "test"));
        FakeSpiking inGray = new FakeSpiking(6);
        Path videos = tmp.resolve("videos");
        Evaluation.Result r = Evaluation.run(Evaluation.game(testPong(AleSettings.Observation.LUMA), Frame.class),
                List.of(inGray), new Evaluation.Settings(1, 7, false, videos, WINDOW, 15), tmp.resolve("eval"),
                Map.of("env", "test"));
        Path video = r.videos().get(0);
        assertEquals(1, inGray.seen.get(0).get(0).channels(), "the policy sees the gray observation");
        for (int t : new int[] {0, 7, 14}) {
            Frame decoded = VideoFiles.frame(video, t);
            Frame rgb = inColour.seen.get(0).get(t);
            Frame gray = inGray.seen.get(0).get(t);
            double toColour = 0;
            double toGray = 0;
            for (int y = 0; y < rgb.height(); y++) {
                for (int x = 0; x < rgb.width(); x++) {
                    for (int c = 0; c < 3; c++) {
                        toColour += Math.abs(decoded.get(y, x, c) - rgb.get(y, x, c));
                        toGray += Math.abs(decoded.get(y, x, c) - gray.get(y, x, 0));
                    }
                }
            }
            int n = 3 * rgb.height() * rgb.width();
            assertTrue(toColour / n <= 4.0 && toColour < toGray / 2, "frame " + t + ": the video shows the game's "
                    + "colour screen (mean error " + toColour / n + "), not the gray observation (" + toGray / n + ")");
        }
    }
}
