package org.eprop.envs.wrappers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eprop.envs.api.Frame;
import org.eprop.envs.api.InfoKeys;
import org.eprop.envs.api.Step;
import org.junit.jupiter.api.Test;

/** ClipReward and TimeLimit. */
class RewardAndTimeWrappersTest {

    private static FakeGame game() {
        return new FakeGame(6, 8, 1).rewards(t -> switch (t) {
            case 1 -> 5;
            case 2 -> -3;
            case 3 -> 0.5;
            default -> 0;
        });
    }

    @Test
    void clipRewardClipsAndKeepsTheRawReward() {
        ClipReward<Frame, Integer> env = new ClipReward<>(game());
        env.reset();
        Step<Frame> s1 = env.step(0);
        assertEquals(1.0, s1.reward());
        assertEquals(5.0, s1.info().require(InfoKeys.RAW_REWARD));
        Step<Frame> s2 = env.step(0);
        assertEquals(-1.0, s2.reward());
        assertEquals(-3.0, s2.info().require(InfoKeys.RAW_REWARD));
        assertEquals(0.5, env.step(0).reward(), "clipping keeps values inside [-1, 1]");
        assertEquals(0.0, env.step(0).reward());
    }

    @Test
    void signVariantAndNestedClipping() {
        ClipReward<Frame, Integer> sign = ClipReward.sign(game());
        sign.reset();
        assertEquals(1.0, sign.step(0).reward());
        assertEquals(-1.0, sign.step(0).reward());
        assertEquals(1.0, sign.step(0).reward(), "sign(0.5)");
        assertEquals("ClipReward(sign)", sign.toString());

        ClipReward<Frame, Integer> twice = new ClipReward<>(new ClipReward<>(game(), -2, 2), -1, 1);
        twice.reset();
        Step<Frame> s = twice.step(0);
        assertEquals(1.0, s.reward());
        assertEquals(5.0, s.info().require(InfoKeys.RAW_REWARD), "the innermost raw reward is kept");
    }

    @Test
    void timeLimitTruncatesWithoutTerminating() {
        FakeGame g = new FakeGame(6, 8, 1);
        TimeLimit<Frame, Integer> env = new TimeLimit<>(g, 3);
        for (int episode = 0; episode < 2; episode++) {
            env.reset();
            assertFalse(env.step(0).done());
            assertFalse(env.step(0).done());
            Step<Frame> s = env.step(0);
            assertTrue(s.truncated());
            assertFalse(s.terminated());
            assertEquals(3, env.elapsedSteps());
        }
        // a game that ends at the limit is both terminated and truncated
        TimeLimit<Frame, Integer> both = new TimeLimit<>(new FakeGame(6, 8, 1).gameLength(2), 2);
        both.reset();
        both.step(0);
        Step<Frame> s = both.step(0);
        assertTrue(s.terminated());
        assertTrue(s.truncated());
    }
}
