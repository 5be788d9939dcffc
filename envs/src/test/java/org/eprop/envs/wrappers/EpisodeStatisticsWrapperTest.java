package org.eprop.envs.wrappers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Frame;
import org.eprop.envs.api.InfoKeys;
import org.eprop.envs.api.Step;
import org.junit.jupiter.api.Test;

class EpisodeStatisticsWrapperTest {

    /** Rewards 5, -3, 7 at steps 2..4; game over after 5 steps; raw return 9, clipped return 1. */
    private static FakeGame game() {
        return new FakeGame(6, 8, 1).gameLength(5).rewards(t -> t == 2 ? 5 : t == 3 ? -3 : t == 4 ? 7 : 0);
    }

    private static Step<Frame> playOut(Env<Frame, Integer> env, double[] learnerReturn) {
        env.reset();
        Step<Frame> s;
        do {
            s = env.step(0);
            learnerReturn[0] += s.reward();
        } while (!s.done());
        return s;
    }

    @Test
    void reportsRawReturnsWhetherAboveOrBelowClipping() {
        // above clipping: reads raw_reward
        EpisodeStatistics<Frame, Integer> above = new EpisodeStatistics<>(new ClipReward<>(game()));
        double[] clipped = {0};
        Step<Frame> last = playOut(above, clipped);
        assertEquals(1.0, clipped[0], "the learner sees clipped rewards");
        assertEquals(9.0, last.info().require(InfoKeys.EPISODE_RETURN));
        assertEquals(5, last.info().require(InfoKeys.EPISODE_LENGTH));

        // below clipping: sees the raw rewards itself, and its info passes through the clipping
        ClipReward<Frame, Integer> env = new ClipReward<>(new EpisodeStatistics<>(game()));
        double[] clipped2 = {0};
        Step<Frame> last2 = playOut(env, clipped2);
        assertEquals(1.0, clipped2[0]);
        assertEquals(9.0, last2.info().require(InfoKeys.EPISODE_RETURN));
        assertEquals(9.0, EpisodeStatistics.in(env).orElseThrow().episodes().get(0).rawReturn());
    }

    @Test
    void keepsARecordOfFinishedEpisodes() {
        AtomicLong clock = new AtomicLong();
        EpisodeStatistics<Frame, Integer> env = new EpisodeStatistics<>(game(), clock::get);
        env.reset();
        Step<Frame> s = null;
        for (int i = 0; i < 5; i++) {
            assertFalse(s != null && s.info().has(InfoKeys.EPISODE_RETURN), "stats only at the end");
            clock.addAndGet(500_000_000L);
            s = env.step(0);
        }
        assertEquals(2.5, s.info().require(InfoKeys.EPISODE_TIME_SECONDS), 1e-12);
        env.reset();
        clock.addAndGet(1_000_000_000L);
        for (int i = 0; i < 5; i++) {
            env.step(0);
        }
        assertEquals(2, env.episodes().size());
        EpisodeStatistics.Episode second = env.episodes().get(1);
        assertEquals(new EpisodeStatistics.Episode(1, 9.0, 5, 1.0, false), second);
        assertEquals(9.0, env.meanReturn(10).orElseThrow());
        assertThrows(UnsupportedOperationException.class, () -> env.episodes().clear());
    }

    @Test
    void recordsTruncatedEpisodes() {
        EpisodeStatistics<Frame, Integer> env = new EpisodeStatistics<>(new TimeLimit<>(game().gameLength(100), 3));
        env.reset();
        env.step(0);
        env.step(0);
        Step<Frame> s = env.step(0);
        assertTrue(s.truncated());
        assertEquals(3, s.info().require(InfoKeys.EPISODE_LENGTH));
        assertEquals(2.0, s.info().require(InfoKeys.EPISODE_RETURN), "0 + 5 - 3");
        assertTrue(env.episodes().get(0).truncated());
    }

    @Test
    void countsFullGamesUnderEpisodicLifeAndRefusesToSitAboveIt() {
        // 3 lives, one lost every 2 steps, reward 1 per step: the game lasts 6 steps
        FakeGame g = new FakeGame(6, 8, 1).lives(3, 2).rewards(t -> 1);
        EpisodeStatistics<Frame, Integer> stats = new EpisodeStatistics<>(g);
        EpisodicLife<Frame> env = new EpisodicLife<>(stats);
        int learnerEpisodes = 0;
        env.reset();
        while (stats.episodes().isEmpty()) {
            if (env.step(0).done()) {
                learnerEpisodes++;
                env.reset();
            }
        }
        assertEquals(3, learnerEpisodes, "one per life");
        assertEquals(1, stats.episodes().size(), "one game");
        assertEquals(6.0, stats.episodes().get(0).rawReturn(), "all lives, including the no-op steps of the resets");
        assertEquals(6, stats.episodes().get(0).length());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EpisodeStatistics<>(new EpisodicLife<>(new FakeGame(6, 8, 1))));
        assertTrue(e.getMessage().contains("per-life"), e.getMessage());
        assertSame(stats, EpisodeStatistics.in(env).orElseThrow());
    }
}
