package org.eprop.envs.wrappers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.eprop.envs.api.Frame;
import org.eprop.envs.api.FrameSkipping;
import org.eprop.envs.api.InfoKeys;
import org.eprop.envs.api.Step;
import org.junit.jupiter.api.Test;

class MaxAndSkipWrapperTest {

    private static FakeGame game() {
        // rewards 5 at t=2, -3 at t=3, 2 at t=6
        return new FakeGame(6, 8, 1).rewards(t -> t == 2 ? 5 : t == 3 ? -3 : t == 6 ? 2 : 0);
    }

    /** The square colour in columns {@code from..to} of rows 1..2, the background elsewhere. */
    private static void assertSquares(Frame f, int from, int to) {
        for (int y = 0; y < f.height(); y++) {
            for (int x = 0; x < f.width(); x++) {
                boolean in = y >= 1 && y <= 2 && x >= from && x <= to;
                for (int c = 0; c < 3; c++) {
                    int want = in ? FakeGame.SQUARE[c] : FakeGame.BACKGROUND[c];
                    assertEquals(want, f.get(y, x, c), "pixel " + y + "," + x + "," + c);
                }
            }
        }
    }

    @Test
    void repeatsTheActionSumsRewardsAndMaxPoolsTheLastTwoFrames() {
        FakeGame g = game();
        MaxAndSkip<Integer> env = new MaxAndSkip<>(g, 4);
        env.reset(1);
        Step<Frame> s = env.step(2);
        assertEquals(List.of(2, 2, 2, 2), g.actions);
        assertEquals(2.0, s.reward(), "5 - 3 over frames 1..4");
        // frame 3 has the square at columns 3..4, frame 4 at 4..5: the max shows 3..5
        assertSquares(s.observation(), 3, 5);
        assertEquals(4, s.info().require(InfoKeys.EPISODE_FRAME_NUMBER), "info of the last repeat");
        Step<Frame> s2 = env.step(1);
        assertEquals(2.0, s2.reward(), "2 at frame 6");
        assertSquares(s2.observation(), 0, 2); // frame 7 at columns 0..1 (wrapped), frame 8 at 1..2
    }

    @Test
    void stopsEarlyWhenTheEpisodeEnds() {
        FakeGame g = game().gameLength(6);
        MaxAndSkip<Integer> env = new MaxAndSkip<>(g, 4);
        env.reset();
        env.step(0);
        Step<Frame> s = env.step(0);
        assertTrue(s.terminated());
        assertEquals(6, g.actions.size(), "no repeat after game over");
        assertEquals(2.0, s.reward());
        assertSquares(s.observation(), 5, 7); // frames 5 and 6 of this step only

        FakeGame g2 = game().gameLength(5);
        MaxAndSkip<Integer> env2 = new MaxAndSkip<>(g2, 4);
        env2.reset();
        env2.step(0);
        Step<Frame> last = env2.step(0);
        assertTrue(last.terminated());
        assertSquares(last.observation(), 5, 6); // the only frame played in this step
    }

    @Test
    void stopsEarlyOnTruncationToo() {
        FakeGame g = game().truncateAt(3);
        MaxAndSkip<Integer> env = new MaxAndSkip<>(g, 4);
        env.reset();
        Step<Frame> s = env.step(0);
        assertTrue(s.truncated());
        assertFalse(s.terminated());
        assertEquals(3, g.actions.size());
    }

    @Test
    void withoutPoolingReturnsTheLastFrame() {
        FakeGame g = game();
        MaxAndSkip<Integer> env = new MaxAndSkip<>(g, 4, false);
        env.reset();
        Step<Frame> s = env.step(0);
        assertSquares(s.observation(), 4, 5);
        assertEquals("Skip(4)", env.toString());
    }

    @Test
    void reusesItsOutputFrame() {
        MaxAndSkip<Integer> env = new MaxAndSkip<>(game(), 4);
        env.reset();
        Frame a = env.step(0).observation();
        Frame b = env.step(0).observation();
        assertSame(a.pixels(), b.pixels());
    }

    @Test
    void sumsRawRewardsReportedBelow() {
        FakeGame g = game();
        MaxAndSkip<Integer> env = new MaxAndSkip<>(new ClipReward<>(g), 4);
        env.reset();
        Step<Frame> s = env.step(0);
        assertEquals(0.0, s.reward(), "clipped per frame: 1 - 1");
        assertEquals(2.0, s.info().require(InfoKeys.RAW_REWARD), "raw: 5 - 3");
    }

    @Test
    void refusesToSkipFramesTwice() {
        FakeGame v5 = new FakeGame(6, 8, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MaxAndSkip<>(v5, 4));
        assertTrue(e.getMessage().contains("frameskip is already 4 in the environment; set frameskip: 1 there or drop MaxAndSkip"),
                e.getMessage());
        // also when other wrappers sit between
        assertThrows(IllegalArgumentException.class,
                () -> new MaxAndSkip<>(new ClipReward<>(new EpisodeStatistics<>(v5)), 4));
        // and for two MaxAndSkip
        MaxAndSkip<Integer> once = new MaxAndSkip<>(game(), 4);
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> new MaxAndSkip<>(new ClipReward<>(once), 2));
        assertTrue(twice.getMessage().contains("MaxAndSkip(4)"), twice.getMessage());
        assertEquals(4, FrameSkipping.total(once));
        // a skip of 1 adds no frames and is allowed anywhere
        new MaxAndSkip<>(v5, 1);
        assertThrows(IllegalArgumentException.class, () -> new MaxAndSkip<>(game(), 0));
    }
}
