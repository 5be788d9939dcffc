package org.eprop.envs.wrappers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.eprop.envs.api.Frame;
import org.eprop.envs.api.FrameSpace;
import org.junit.jupiter.api.Test;

class FrameStackWrapperTest {

    /** Channel {@code slot * 3 + c} of the stack must equal channel c after game step {@code steps[slot]}. */
    private static void assertStack(FakeGame g, Frame f, int... steps) {
        assertEquals(3 * steps.length, f.channels());
        for (int y = 0; y < f.height(); y++) {
            for (int x = 0; x < f.width(); x++) {
                for (int slot = 0; slot < steps.length; slot++) {
                    for (int c = 0; c < 3; c++) {
                        assertEquals(g.expected(steps[slot], y, x, c), f.get(y, x, slot * 3 + c),
                                "slot " + slot + " pixel " + y + "," + x + "," + c);
                    }
                }
            }
        }
    }

    @Test
    void stacksTheMostRecentFramesOldestFirst() {
        FakeGame g = new FakeGame(6, 8, 1);
        FrameStack<Integer> env = new FrameStack<>(g, 3);
        assertEquals(new FrameSpace(6, 8, 9), env.observationSpace());
        Frame r = env.reset().observation();
        assertStack(g, r, 0, 0, 0);
        assertStack(g, env.step(0).observation(), 0, 0, 1);
        assertStack(g, env.step(0).observation(), 0, 1, 2);
        Frame f = env.step(0).observation();
        assertStack(g, f, 1, 2, 3);
        assertSame(r.pixels(), f.pixels(), "one output buffer");
        // a reset starts over from the new first frame
        assertStack(g, env.reset().observation(), 0, 0, 0);
    }

    @Test
    void stacksGrayFramesIntoChannels() {
        FrameStack<Integer> env = new FrameStack<>(new GrayscaleResize<>(FakeGame.atari()), 4);
        assertEquals(new FrameSpace(84, 84, 4), env.observationSpace());
        assertEquals(new FrameSpace(84, 84, 4), env.reset().observation().space());
        assertThrows(IllegalArgumentException.class, () -> new FrameStack<>(FakeGame.atari(), 0));
    }
}
