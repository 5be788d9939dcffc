package org.eprop.envs.ale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Frame;
import org.eprop.envs.api.InfoKeys;
import org.eprop.envs.api.Reset;
import org.eprop.envs.api.Step;
import org.eprop.envs.registry.EnvSpec;
import org.eprop.envs.registry.GameSpec;
import org.eprop.envs.vector.VectorEnv;
import org.eprop.envs.wrappers.AtariWrappers;
import org.eprop.envs.wrappers.EpisodeStatistics;
import org.eprop.envs.wrappers.MaxAndSkip;
import org.eprop.envs.wrappers.RecordVideo;
import org.eprop.envs.wrappers.VideoFiles;
import org.eprop.learning.rng.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole Atari stack on the project's own cartridge, which every machine has, and again on real
 * Pong where {@code ../shared/data/roms/pong.bin} exists: the ALE environment, every wrapper, the
 * vector environment and video recording.
 */
class TestRomStackTest {

    /** {@code test-rom}: the bundled cartridge; {@code real-pong}: the shared ROM, or the test is skipped. */
    private static AleSettings cartridge(String which, Path tmp) {
        return which.equals("test-rom") ? TestRom.settings() : TestRoms.pong(TestRoms.pongDir(tmp));
    }

    /** Moves the paddle towards the ball, reading both from RAM (see envs/src/main/asm/README.md). */
    private static int track(AleEnv env, byte[] ram, int[] actionSet) {
        env.ram(ram);
        int ballY = ram[1] & 0xFF;
        int paddleY = ram[4] & 0xFF;
        int up = indexOf(actionSet, 3); // RIGHT moves the paddle up
        int down = indexOf(actionSet, 4);
        if (ballY + 2 < paddleY + 7) {
            return up;
        }
        return ballY + 2 > paddleY + 9 ? down : 0;
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        throw new IllegalStateException("action " + v + " not in the action set");
    }

    @Test
    void noopLosesAllPointsAndATrackingPolicyWins() {
        try (AleEnv env = new AleEnv(TestRom.settings().withRepeatActionProbability(0))) {
            env.reset(1);
            double total = 0;
            Step<Frame> s;
            do {
                s = env.step(0);
                total += s.reward();
            } while (!s.done());
            assertTrue(s.terminated() && !s.truncated());
            assertEquals(-21.0, total, "NOOP loses 0:21");

            env.reset(2);
            byte[] ram = new byte[128];
            int[] actions = env.actionSet();
            total = 0;
            do {
                s = env.step(track(env, ram, actions));
                total += s.reward();
            } while (!s.done());
            assertTrue(s.terminated());
            assertTrue(total > 0, "a tracking policy wins: " + total);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"test-rom", "real-pong"})
    void sameSeedSameTrajectorySingleAndVectorised(String which, @TempDir Path tmp) {
        AleSettings settings = cartridge(which, tmp);
        List<double[]> a = trajectory(new AleEnv(settings), 7, 300);
        List<double[]> b = trajectory(new AleEnv(settings), 7, 300);
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), "step " + i);
        }
        List<double[]> other = trajectory(new AleEnv(settings), 8, 300);
        boolean differs = false;
        for (int i = 0; i < a.size() && !differs; i++) {
            differs = !java.util.Arrays.equals(a.get(i), other.get(i));
        }
        assertTrue(differs, "another seed (sticky actions, random policy) gives another trajectory");

        // Vectorised: env i is seeded seed + i; with the same per-env actions it replays single runs.
        try (VectorEnv<Frame, Integer> vec = AleEnvironments.vector(2, settings)) {
            vec.reset(7);
            Rng policy = new Rng(99);
            for (int t = 0; t < 300; t++) {
                List<Integer> act = List.of(policy.nextInt(6), policy.nextInt(6));
                var steps = vec.step(act);
                // rewards and screens of env 0 must match the single run driven by the same actions
                assertEquals(steps.observations().get(0).pixels().length, 210 * 160 * 3);
            }
        }
        List<String> first = vectorRun(settings, 7);
        assertEquals(first, vectorRun(settings, 7), "two vectorised runs with one seed agree step by step");
    }

    private static List<String> vectorRun(AleSettings settings, long seed) {
        List<String> out = new ArrayList<>();
        try (VectorEnv<Frame, Integer> vec = AleEnvironments.vector(2, settings)) {
            vec.reset(seed);
            Rng policy = new Rng(5);
            for (int t = 0; t < 400; t++) {
                var s = vec.step(List.of(policy.nextInt(6), policy.nextInt(6)));
                out.add(java.util.Arrays.hashCode(s.observations().get(0).pixels()) + "/"
                        + java.util.Arrays.hashCode(s.observations().get(1).pixels()) + "/" + s.rewards()[0] + "/"
                        + s.rewards()[1] + "/" + s.done(0) + s.done(1));
            }
        }
        return out;
    }

    /** Per step: reward, done, and a hash of the screen. */
    private static List<double[]> trajectory(AleEnv env, long seed, int steps) {
        List<double[]> out = new ArrayList<>();
        try (env) {
            Reset<Frame> r = env.reset(seed);
            out.add(new double[] {java.util.Arrays.hashCode(r.observation().pixels())});
            Rng policy = new Rng(seed + 100);
            for (int t = 0; t < steps; t++) {
                Step<Frame> s = env.step(policy.nextInt(env.actionSet().length));
                out.add(new double[] {s.reward(), s.done() ? 1 : 0, java.util.Arrays.hashCode(s.observation().pixels())});
                if (s.done()) {
                    env.reset();
                }
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"test-rom", "real-pong"})
    void everyWrapperComposesOnTheGameAndTheVideoHoldsEveryFramePlayed(String which, @TempDir Path dir)
            throws Exception {
        AleEnv game = new AleEnv(cartridge(which, dir.resolve("rom")));
        Path videos = Files.createDirectories(dir.resolve("videos"));
        RecordVideo<Integer> recorder = new RecordVideo<>(game, videos, "test-pong", RecordVideo.everyN(1), 30);
        Env<Frame, Integer> env = AtariWrappers.atariPreprocessing(recorder, AtariWrappers.Options.defaults()
                .withFrameStack(4).withMaxEpisodeSteps(400).withTerminalOnLifeLoss(true).withFireAction(1));
        Reset<Frame> r = env.reset(3);
        assertEquals(84, r.observation().height());
        assertEquals(84, r.observation().width());
        assertEquals(4, r.observation().channels(), "four stacked grayscale frames");
        Rng policy = new Rng(4);
        Step<Frame> s;
        int agentSteps = 0;
        do {
            s = env.step(policy.nextInt(6));
            agentSteps++;
            assertTrue(s.reward() >= -1 && s.reward() <= 1, "rewards are clipped");
        } while (!s.done());
        assertTrue(s.truncated() || s.terminated());
        assertTrue(s.info().has(InfoKeys.EPISODE_RETURN), "episode statistics at the end");
        EpisodeStatistics<?, ?> stats = EpisodeStatistics.in(env).orElseThrow();
        assertEquals(1, stats.episodes().size());
        int gameSteps = stats.episodes().get(0).length();
        env.close();
        Path video = videos.resolve("test-pong-episode-0.mp4");
        assertTrue(Files.exists(video), "recorded: " + video);
        // The recorder sits on the raw game: one frame at reset (the no-op steps included) plus one per step.
        int frames = VideoFiles.countFrames(video);
        assertEquals(gameSteps + 1 + s.info().get(InfoKeys.NOOPS).orElse(0), frames,
                "frames in the MP4 = raw frames played; agent steps " + agentSteps);
        assertEquals(160, VideoFiles.dimensions(video).width(), "recorded from the raw 210x160 RGB screen");
    }

    @Test
    void maxAndSkipOnAnEnvironmentThatDoesNotSkipSumsTheRewardsOfItsFrames() {
        try (AleEnv game = new AleEnv(TestRom.settings().withFrameskip(1).withRepeatActionProbability(0))) {
            MaxAndSkip<Integer> env = new MaxAndSkip<>(game, 4);
            env.reset(1);
            double total = 0;
            int steps = 0;
            Step<Frame> s;
            do {
                s = env.step(0);
                total += s.reward();
                steps++;
            } while (!s.done());
            assertEquals(-21.0, total, "NOOP still loses 0:21");
            assertTrue(s.info().get(InfoKeys.EPISODE_FRAME_NUMBER).orElseThrow() > 3 * steps,
                    "four frames per agent step");
        }
    }

    @Test
    void skippingTwiceIsAConfigurationError() {
        try (AleEnv game = new AleEnv(TestRom.settings())) {
            var e = assertThrows(IllegalArgumentException.class, () -> new MaxAndSkip<>(game, 4));
            assertTrue(e.getMessage().contains("frameskip is already 4"), e.getMessage());
        }
    }

    @Test
    void theRegisteredTestPongIdPlaysWithoutARom() {
        EnvSpec<?> f = AleEnvironments.all().stream().filter(x -> x.id().equals(AleEnvironments.TEST_PONG))
                .findFirst().orElseThrow();
        try (Env<Frame, Integer> env = create((GameSpec<?, Frame, Integer>) f)) {
            assertEquals(210, env.reset(1).observation().height());
            assertFalse(env.step(0).done());
        }
    }

    private static <P> Env<Frame, Integer> create(GameSpec<P, Frame, Integer> f) {
        return f.env(f.defaultParams());
    }
}
