package org.eprop.envs.wrappers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Frame;
import org.eprop.envs.api.FrameSkipping;
import org.eprop.envs.api.FrameSpace;
import org.eprop.envs.api.InfoKeys;
import org.eprop.envs.api.Reset;
import org.eprop.envs.api.Step;
import org.eprop.learning.rng.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standard stacks, and every wrapper composed at once. */
class AtariWrappersTest {
    @TempDir
    Path dir;

    /** Reward 3 every 5th step, -2 every 7th; a life lost every 40 steps of 3; at most 200 steps. */
    private static FakeGame game(int frameskip) {
        return new FakeGame(210, 160, frameskip).lives(3, 40).gameLength(200)
                .rewards(t -> (t % 5 == 0 ? 3 : 0) + (t % 7 == 0 ? -2 : 0));
    }

    private static double rawReturn(int steps) {
        double r = 0;
        for (int t = 1; t <= steps; t++) {
            r += (t % 5 == 0 ? 3 : 0) + (t % 7 == 0 ? -2 : 0);
        }
        return r;
    }

    @Test
    void paperProtocolOnAGameThatSkipsFourFrames() {
        FakeGame g = game(4);
        Env<Frame, Integer> env = AtariWrappers.paper(g);
        assertEquals("GrayscaleResize(84x84) > ClipReward([-1.0, 1.0]) > NoopReset(0..29) > EpisodeStatistics > fake",
                Wrappers.describe(env));
        assertEquals(new FrameSpace(84, 84, 1), env.observationSpace());
        assertEquals(4, FrameSkipping.total(env));
        Reset<Frame> r = env.reset(1);
        int noops = r.info().require(InfoKeys.NOOPS);
        assertEquals(new FrameSpace(84, 84, 1), r.observation().space());
        int agentSteps = 0;
        Step<Frame> s;
        do {
            s = env.step(agentSteps % 4);
            agentSteps++;
            assertTrue(Math.abs(s.reward()) <= 1);
        } while (!s.done());
        // a lost life does not end the episode: the game runs its 120 steps (3 lives x 40)
        assertEquals(120, noops + agentSteps);
        assertEquals(rawReturn(120), s.info().require(InfoKeys.EPISODE_RETURN), "raw, unclipped, full game");
        assertEquals(120, s.info().require(InfoKeys.EPISODE_LENGTH), "no-ops included");
        assertEquals(1, EpisodeStatistics.in(env).orElseThrow().episodes().size());
    }

    @Test
    void paperProtocolAddsAPlainSkipOnAFrameSkipOneGame() {
        FakeGame g = game(1);
        Env<Frame, Integer> env = AtariWrappers.paper(g);
        assertEquals("GrayscaleResize(84x84) > ClipReward([-1.0, 1.0]) > NoopReset(0..29) > EpisodeStatistics > Skip(4) > fake",
                Wrappers.describe(env));
        int noops = env.reset(2).info().require(InfoKeys.NOOPS);
        assertEquals(4 * noops, g.t, "each no-op lasts 4 frames, as in the paper");
        Step<Frame> s = env.step(1);
        assertEquals(4 * noops + 4, g.t);
        assertEquals(List.of(1, 1, 1, 1), g.actions.subList(g.actions.size() - 4, g.actions.size()));
        assertTrue(s.reward() >= -1 && s.reward() <= 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AtariWrappers.paper(game(2)));
        assertTrue(e.getMessage().contains("already skips 2"), e.getMessage());
    }

    @Test
    void atariPreprocessingTakesTheSkipFromTheGameOrAddsMaxAndSkip() {
        assertEquals("ClipReward(sign) > NoopReset(1..30) > EpisodeStatistics > fake",
                Wrappers.describe(AtariWrappers.atariPreprocessing(game(4))).replace("GrayscaleResize(84x84) > ", ""));
        Env<Frame, Integer> sb3 = AtariWrappers.atariPreprocessing(game(1), AtariWrappers.Options.defaults()
                .withTerminalOnLifeLoss(true).withFireAction(1).withFrameStack(4).withMaxEpisodeSteps(400));
        assertEquals("FrameStack(4) > GrayscaleResize(84x84) > ClipReward(sign) > FireReset(1) > EpisodicLife > "
                + "NoopReset(1..30) > EpisodeStatistics > MaxAndSkip(4) > TimeLimit(400) > fake", Wrappers.describe(sb3));
        assertEquals(new FrameSpace(84, 84, 4), sb3.observationSpace());
        assertThrows(IllegalArgumentException.class, () -> AtariWrappers.atariPreprocessing(game(2)));
        assertThrows(IllegalArgumentException.class, () -> AtariWrappers.Options.defaults().withFrameStack(0));
    }

    /** Plays {@code episodes} learner episodes with a seeded random policy; returns all observations' hashes. */
    private static List<Integer> play(Env<Frame, Integer> env, long seed, int episodes) {
        Rng rng = new Rng(seed);
        List<Integer> hashes = new ArrayList<>();
        Reset<Frame> r = env.reset(seed);
        hashes.add(java.util.Arrays.hashCode(r.observation().pixels()));
        int done = 0;
        while (done < episodes) {
            Step<Frame> s = env.step(env.actionSpace().sample(rng));
            assertTrue(env.observationSpace().contains(s.observation()));
            assertTrue(s.reward() == -1 || s.reward() == 0 || s.reward() == 1, "clipped: " + s.reward());
            hashes.add(java.util.Arrays.hashCode(s.observation().pixels()));
            if (s.done()) {
                done++;
                r = env.reset();
                hashes.add(java.util.Arrays.hashCode(r.observation().pixels()));
            }
        }
        return hashes;
    }

    private Env<Frame, Integer> everything(FakeGame g, Path videos, java.util.function.IntPredicate record) {
        Env<Frame, Integer> e = new RecordVideo<>(g, videos, "all", record, 30);
        e = new TimeLimit<>(e, 1000);
        e = new MaxAndSkip<>(e, 4);
        e = new EpisodeStatistics<>(e);
        e = new NoopReset<>(e, 5); // at most 20 frames: no-ops and FIRE stay within the first 40-frame life
        e = new EpisodicLife<>(e);
        e = new FireReset<>(e);
        e = new ClipReward<>(e);
        e = new GrayscaleResize<>(e);
        return new FrameStack<>(e, 4);
    }

    @Test
    void allWrappersComposeAndReplayFromASeed() throws IOException {
        FakeGame g = game(1);
        Env<Frame, Integer> env = everything(g, dir.resolve("a"), RecordVideo.everyN(1));
        List<Integer> first = play(env, 5, 6); // 6 lives = 2 games
        assertEquals(first, play(everything(game(1), dir.resolve("b"), n -> false), 5, 6), "same seed, same observations");

        EpisodeStatistics<?, ?> stats = EpisodeStatistics.in(env).orElseThrow();
        assertEquals(2, stats.episodes().size(), "two games of three lives");
        for (EpisodeStatistics.Episode e : stats.episodes()) {
            assertEquals(30, e.length(), "120 frames of 4 per step");
            assertEquals(rawReturn(120), e.rawReturn());
        }
        RecordVideo<?> video = Wrappers.find(env, RecordVideo.class).orElseThrow();
        assertEquals(2, video.videos().size(), "one video per game, not per life");
        assertEquals(121, VideoFiles.countFrames(video.videoPath(0)), "120 frames played plus the reset frame");
        assertSame(g, env.unwrapped());
        env.close();
        assertTrue(g.closed);
    }
}
