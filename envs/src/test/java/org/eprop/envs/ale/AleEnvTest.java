package org.eprop.envs.ale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eprop.envs.api.Discrete;
import org.eprop.envs.api.Frame;
import org.eprop.envs.api.FrameSpace;
import org.eprop.envs.api.Reset;
import org.eprop.envs.api.Step;
import org.eprop.learning.rng.Rng;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AleEnv on the real Pong ROM (skipped when it is absent). */
class AleEnvTest {
    @TempDir
    Path tmp;
    Path roms;

    @BeforeEach
    void rom() {
        roms = TestRoms.pongDir(tmp);
    }

    /** A recorded trajectory: a copy of every observation, the rewards and the flags. */
    record Trajectory(List<Frame> frames, List<Double> rewards, List<Boolean> done) {
        static Trajectory of(Frame first) {
            Trajectory t = new Trajectory(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            t.frames.add(first.copy());
            return t;
        }

        void add(Step<Frame> s) {
            frames.add(s.observation().copy());
            rewards.add(s.reward());
            done.add(s.done());
        }

        void assertSame(Trajectory o) {
            assertEquals(frames.size(), o.frames.size());
            for (int i = 0; i < frames.size(); i++) {
                assertTrue(frames.get(i).samePixels(o.frames.get(i)), "observation " + i + " differs");
            }
            assertEquals(rewards, o.rewards);
            assertEquals(done, o.done);
        }

        boolean differs(Trajectory o) {
            for (int i = 0; i < Math.min(frames.size(), o.frames.size()); i++) {
                if (!frames.get(i).samePixels(o.frames.get(i))) {
                    return true;
                }
            }
            return !rewards.equals(o.rewards);
        }
    }

    static Trajectory play(AleEnv env, Reset<Frame> r, long actionSeed, int steps) {
        Rng rng = new Rng(actionSeed);
        Trajectory t = Trajectory.of(r.observation());
        for (int i = 0; i < steps; i++) {
            Step<Frame> s = env.step(env.actionSpace().sample(rng));
            t.add(s);
            if (s.done()) {
                break;
            }
        }
        return t;
    }

    @Test
    void noopLosesZeroToTwentyOne() {
        try (AleEnv env = new AleEnv(TestRoms.pong(roms))) {
            assertEquals("ale/pong", env.id());
            Reset<Frame> r = env.reset(3);
            assertEquals(0, r.info().require(AleEnv.EPISODE_FRAME_NUMBER));
            assertEquals(0, r.info().require(AleEnv.LIVES));
            double total = 0;
            int steps = 0;
            int negatives = 0;
            Step<Frame> s;
            do {
                s = env.step(0);
                total += s.reward();
                negatives += s.reward() < 0 ? 1 : 0;
                steps++;
                assertTrue(s.reward() <= 0, "NOOP never scores");
            } while (!s.done());
            assertTrue(s.terminated(), "game over");
            assertFalse(s.truncated());
            assertEquals(-21, total);
            assertEquals(21, negatives);
            int frames = s.info().require(AleEnv.EPISODE_FRAME_NUMBER);
            assertTrue(frames > 4 * (steps - 1) && frames <= 4 * steps, frames + " frames in " + steps + " steps");
            assertEquals((long) frames, s.info().require(AleEnv.FRAME_NUMBER));
            assertEquals(Integer.class, s.info().require(AleEnv.LIVES).getClass());
            assertThrows(IllegalStateException.class, () -> env.step(0), "step after the end needs a reset");
            Reset<Frame> next = env.reset();
            assertEquals(0, next.info().require(AleEnv.EPISODE_FRAME_NUMBER));
            assertEquals((long) frames, next.info().require(AleEnv.FRAME_NUMBER), "frame_number keeps counting");
        }
    }

    @Test
    void sameSeedSameTrajectoryAndAnotherSeedAnother() {
        try (AleEnv a = new AleEnv(TestRoms.pong(roms)); AleEnv b = new AleEnv(TestRoms.pong(roms))) {
            Trajectory ta = play(a, a.reset(7), 1, 300);
            Trajectory tb = play(b, b.reset(7), 1, 300);
            ta.assertSame(tb);
            Trajectory again = play(a, a.reset(7), 1, 300);
            ta.assertSame(again);
            Trajectory other = play(b, b.reset(8), 1, 300);
            assertTrue(ta.differs(other), "sticky actions follow the seed");
        }
    }

    @Test
    void resetWithoutSeedContinuesTheRandomStream() {
        try (AleEnv a = new AleEnv(TestRoms.pong(roms)); AleEnv b = new AleEnv(TestRoms.pong(roms))) {
            Trajectory first = play(a, a.reset(5), 2, 150);
            Trajectory second = play(a, a.reset(), 2, 150);
            assertTrue(first.differs(second), "the next episode is not a replay of the seeded one");
            play(b, b.reset(5), 2, 150);
            play(b, b.reset(), 2, 150).assertSame(second);
        }
    }

    @Test
    void aFreshEnvStartsAsIfSeededWithZero() {
        try (AleEnv a = new AleEnv(TestRoms.pong(roms)); AleEnv b = new AleEnv(TestRoms.pong(roms))) {
            play(a, a.reset(), 3, 150).assertSame(play(b, b.reset(0), 3, 150));
        }
    }

    @Test
    void theFrameCapTruncatesWithoutTerminating() {
        try (AleEnv env = new AleEnv(TestRoms.pong(roms).withMaxEpisodeFrames(102))) {
            env.reset(1);
            Step<Frame> s = null;
            for (int i = 1; i <= 26; i++) {
                s = env.step(1);
                assertEquals(i == 26, s.done(), "step " + i);
            }
            assertTrue(s.truncated());
            assertFalse(s.terminated());
            assertEquals(102, s.info().require(AleEnv.EPISODE_FRAME_NUMBER), "the last step runs only 2 frames");
            assertThrows(IllegalStateException.class, () -> env.step(0));
            env.reset();
            for (int i = 1; i <= 25; i++) {
                assertFalse(env.step(0).done());
            }
        }
    }

    @Test
    void rgbAndGrayscaleShapes() {
        try (AleEnv rgb = new AleEnv(TestRoms.pong(roms));
                AleEnv gray = new AleEnv(TestRoms.pong(roms).withObservation(AleSettings.Observation.GRAYSCALE))) {
            assertEquals(new FrameSpace(210, 160, 3), rgb.observationSpace());
            assertEquals(new FrameSpace(210, 160, 1), gray.observationSpace());
            Frame c = rgb.reset(1).observation();
            Frame g = gray.reset(1).observation();
            assertEquals(210 * 160 * 3, c.pixels().length);
            assertEquals(210 * 160, g.pixels().length);
            assertTrue(rgb.observationSpace().contains(c) && gray.observationSpace().contains(g));
            for (int i = 0; i < 20; i++) {
                c = rgb.step(2).observation();
                g = gray.step(2).observation();
            }
            assertNotEquals(c.get(105, 80, 0), 0, "Pong's field is not black");
            assertTrue(rgb.render().samePixels(c), "render() is the RGB screen");
            assertEquals(3, gray.render().channels());
            // the same screen: ALE's grayscale is a function of the palette colour
            java.util.Map<Integer, Integer> lum = new java.util.HashMap<>();
            Frame rc = gray.render();
            for (int y = 0; y < 210; y++) {
                for (int x = 0; x < 160; x++) {
                    int colour = rc.get(y, x, 0) << 16 | rc.get(y, x, 1) << 8 | rc.get(y, x, 2);
                    Integer prev = lum.put(colour, g.get(y, x, 0));
                    assertTrue(prev == null || prev == g.get(y, x, 0));
                }
            }
            assertTrue(lum.size() >= 3);
        }
    }

    @Test
    void actionSets() {
        try (AleEnv minimal = new AleEnv(TestRoms.pong(roms));
                AleEnv full = new AleEnv(TestRoms.pong(roms).withFullActionSpace(true));
                AleEnv paper = new AleEnv(AleSettings.paper("pong").withRomDir(roms))) {
            assertEquals(new Discrete(6), minimal.actionSpace());
            assertArrayEquals(new int[] {0, 1, 3, 4, 11, 12}, minimal.actionSet());
            assertEquals(List.of("NOOP", "FIRE", "RIGHT", "LEFT", "RIGHTFIRE", "LEFTFIRE"), minimal.actionMeanings());
            assertEquals(new Discrete(18), full.actionSpace());
            assertEquals(new Discrete(3), paper.actionSpace());
            assertArrayEquals(new int[] {0, 3, 4}, paper.actionSet());
            assertEquals(List.of("NOOP", "RIGHT", "LEFT"), paper.actionMeanings());
            paper.reset(1);
            assertThrows(IllegalArgumentException.class, () -> paper.step(3));
            assertThrows(IllegalArgumentException.class, () -> paper.step(-1));
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), AleSettings.paper("breakout").actions());
        AleSettings p = AleSettings.paper("Pong");
        assertEquals(4, p.frameskip());
        assertEquals(0.25, p.repeatActionProbability());
    }

    @Test
    void v5DefaultsModesAndLifecycle() {
        AleSettings v5 = AleSettings.v5("pong");
        assertEquals(4, v5.frameskip());
        assertEquals(0.25, v5.repeatActionProbability());
        assertFalse(v5.fullActionSpace());
        assertEquals(108_000, v5.maxEpisodeFrames());
        assertEquals(AleSettings.Observation.RGB, v5.observation());
        assertThrows(IllegalArgumentException.class, () -> v5.withFrameskip(0));
        assertThrows(IllegalArgumentException.class, () -> v5.withRepeatActionProbability(1.0));
        assertThrows(IllegalArgumentException.class, () -> v5.withActions(List.of(18)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AleEnv(TestRoms.pong(roms).withMode(5)));
        assertTrue(e.getMessage().contains("pong has no mode 5; available: [0, 1]"), e.getMessage());
        AleEnv env = new AleEnv(TestRoms.pong(roms).withMode(1).withDifficulty(1));
        assertArrayEquals(new int[] {0, 1}, env.availableModes());
        assertThrows(IllegalStateException.class, () -> env.step(0), "step before reset");
        env.reset(1);
        env.step(0);
        byte[] ram = env.ram(new byte[128]);
        assertEquals(0, ram[13], "cpu score");
        env.close();
        env.close();
        assertThrows(IllegalStateException.class, () -> env.reset());
        assertThrows(IllegalStateException.class, () -> env.step(0));
    }
}
