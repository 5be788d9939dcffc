package org.eprop.envs.wrappers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.eprop.envs.api.Frame;
import org.eprop.envs.api.InfoKeys;
import org.eprop.envs.api.Reset;
import org.eprop.envs.api.Step;
import org.junit.jupiter.api.Test;

class EpisodicLifeWrapperTest {

    @Test
    void aLostLifeEndsTheLearnersEpisodeButNotTheGame() {
        // 3 lives, one lost every 2 steps: lives 2 after t=2, 1 after t=4, game over at t=6
        FakeGame g = new FakeGame(6, 8, 1).lives(3, 2);
        EpisodicLife<Frame> env = new EpisodicLife<>(g);
        env.reset(0);
        assertEquals(3, env.lives());
        assertFalse(env.step(2).done());
        Step<Frame> s = env.step(2);
        assertTrue(s.terminated(), "life lost at t=2");
        assertEquals(2, s.info().require(InfoKeys.LIVES));

        Reset<Frame> r = env.reset();
        assertEquals(1, g.resets, "the game goes on");
        assertEquals(3, g.t, "one no-op step instead of a reset");
        assertEquals(List.of(2, 2, 0), g.actions);
        assertEquals(3, r.info().require(InfoKeys.EPISODE_FRAME_NUMBER));

        assertTrue(env.step(1).terminated(), "life lost at t=4");
        env.reset(); // no-op at t=5
        Step<Frame> over = env.step(1);
        assertTrue(over.terminated(), "real game over at t=6");
        assertEquals(0, over.info().require(InfoKeys.LIVES));
        env.reset();
        assertEquals(2, g.resets, "game over resets the game");
        assertEquals(0, g.t);
    }

    @Test
    void resetsThatDoNotFollowALifeLossAreReal() {
        FakeGame g = new FakeGame(6, 8, 1).lives(3, 2);
        EpisodicLife<Frame> env = new EpisodicLife<>(g);
        env.reset();
        env.step(0);
        env.reset(); // mid-episode, no life lost
        assertEquals(2, g.resets);
        env.step(0);
        assertTrue(env.step(0).terminated());
        env.reset(7); // a seeded reset always restarts the game
        assertEquals(3, g.resets);
        assertEquals(List.of(7L), g.seeds);
        assertEquals(3, env.lives());
    }

    @Test
    void truncationIsARealEnd() {
        FakeGame g = new FakeGame(6, 8, 1).lives(3, 2).truncateAt(2);
        EpisodicLife<Frame> env = new EpisodicLife<>(g);
        env.reset();
        env.step(0);
        Step<Frame> s = env.step(0);
        assertTrue(s.truncated());
        env.reset();
        assertEquals(2, g.resets);
    }

    @Test
    void needsTheLivesInfo() {
        FakeGame g = new FakeGame(6, 8, 1).withoutLives();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new EpisodicLife<>(g).reset());
        assertTrue(e.getMessage().contains("lives"), e.getMessage());
    }
}
