package org.eprop.envs.wrappers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.eprop.envs.api.Frame;
import org.eprop.envs.api.InfoKeys;
import org.eprop.envs.api.Reset;
import org.junit.jupiter.api.Test;

/** NoopReset and FireReset: the wrappers that act inside reset. */
class ResetWrappersTest {

    @Test
    void noopResetTakesTheDrawnNumberOfNoops() {
        FakeGame g = new FakeGame(6, 8, 1);
        NoopReset<Frame> env = new NoopReset<>(g, 0, 29, 0);
        for (int i = 0; i < 50; i++) {
            g.actions.clear();
            Reset<Frame> r = i == 0 ? env.reset(3) : env.reset();
            int n = r.info().require(InfoKeys.NOOPS);
            assertTrue(n >= 0 && n <= 29, "n=" + n);
            assertEquals(n, g.actions.size());
            assertEquals(Collections.nCopies(n, 0), g.actions);
            assertEquals(n, g.t, "the observation is that after the no-ops");
            assertEquals(n, r.info().require(InfoKeys.EPISODE_FRAME_NUMBER));
        }
    }

    private static List<Integer> draws(long seed, int resets) {
        NoopReset<Frame> env = new NoopReset<>(new FakeGame(6, 8, 1), 0, 29, 0);
        List<Integer> n = new ArrayList<>();
        n.add(env.reset(seed).info().require(InfoKeys.NOOPS));
        for (int i = 1; i < resets; i++) {
            n.add(env.reset().info().require(InfoKeys.NOOPS));
        }
        return n;
    }

    @Test
    void noopCountsFollowTheSeed() {
        assertEquals(draws(11, 40), draws(11, 40));
        assertNotEquals(draws(11, 40), draws(12, 40));
        // reseeding replays the stream
        NoopReset<Frame> env = new NoopReset<>(new FakeGame(6, 8, 1), 0, 29, 0);
        int first = env.reset(5).info().require(InfoKeys.NOOPS);
        env.reset();
        assertEquals(first, env.reset(5).info().require(InfoKeys.NOOPS));
        // the whole range is drawn, both ends included
        List<Integer> many = draws(1, 3000);
        assertEquals(0, Collections.min(many));
        assertEquals(29, Collections.max(many));
        assertEquals(30, many.stream().distinct().count());
    }

    @Test
    void noopActionAndBoundsAreConfigurable() {
        FakeGame g = new FakeGame(6, 8, 1);
        NoopReset<Frame> env = new NoopReset<>(g, 2, 2, 3);
        env.reset(0);
        assertEquals(List.of(3, 3), g.actions);
        assertThrows(IllegalArgumentException.class, () -> new NoopReset<>(g, 3, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new NoopReset<>(g, 0, 2, 4), "action outside Discrete(4)");
        assertEquals("NoopReset(0..30)", new NoopReset<>(g, 30).toString());
    }

    @Test
    void noopResetRestartsAGameThatEndsDuringTheNoops() {
        FakeGame g = new FakeGame(6, 8, 1).gameLength(3);
        NoopReset<Frame> env = new NoopReset<>(g, 5, 5, 0);
        Reset<Frame> r = env.reset(0);
        assertEquals(2, g.resets, "reset again after the third no-op ended the game");
        assertEquals(2, g.t, "the remaining two no-ops in the new game");
        assertEquals(5, r.info().require(InfoKeys.NOOPS));
    }

    @Test
    void fireResetPressesFireAfterEachReset() {
        FakeGame g = new FakeGame(6, 8, 1);
        FireReset<Frame> env = new FireReset<>(g);
        Reset<Frame> r = env.reset(9);
        assertEquals(List.of(1), g.actions);
        assertEquals(1, r.info().require(InfoKeys.EPISODE_FRAME_NUMBER));
        assertEquals(g.squareX(1), firstSquareColumn(r.observation()));
        g.actions.clear();
        new FireReset<>(g, 1, 2).reset();
        assertEquals(List.of(1, 2), g.actions, "SB3 presses 1 then 2");
        assertEquals(List.of(9L), g.seeds);
    }

    @Test
    void fireResetResetsAgainWhenFireEndsTheEpisode() {
        // the first game ends on its first step, later ones last 100 steps
        FakeGame g = new FakeGame(6, 8, 1).gameLengths(episode -> episode == 0 ? 1 : 100);
        FireReset<Frame> env = new FireReset<>(g);
        env.reset();
        assertEquals(2, g.resets);
        assertEquals(1, g.t);
        assertEquals(List.of(1, 1), g.actions);

        FakeGame hopeless = new FakeGame(6, 8, 1).gameLength(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new FireReset<>(hopeless).reset());
        assertTrue(e.getMessage().contains("drop FireReset"), e.getMessage());
        assertEquals(FireReset.MAX_ATTEMPTS + 1, hopeless.resets);
    }

    private static int firstSquareColumn(Frame f) {
        for (int x = 0; x < f.width(); x++) {
            if (f.get(1, x, 0) == FakeGame.SQUARE[0]) {
                return x;
            }
        }
        return -1;
    }
}
