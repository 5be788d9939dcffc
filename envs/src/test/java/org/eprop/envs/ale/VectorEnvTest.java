package org.eprop.envs.ale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eprop.envs.api.Box;
import org.eprop.envs.api.Discrete;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Frame;
import org.eprop.envs.api.Info;
import org.eprop.envs.api.Reset;
import org.eprop.envs.api.Space;
import org.eprop.envs.api.Step;
import org.eprop.learning.rng.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorEnvTest {
    @TempDir
    Path tmp;

    /** A small seeded env: observation = running sum of random draws and actions; ends after 5 steps. */
    static final class CountingEnv implements Env<float[], Integer> {
        static final Info.Key<Integer> T = Info.Key.of("t", Integer.class);
        final AtomicInteger closed;
        Rng rng = new Rng(0);
        float[] obs = new float[1];
        int t;

        CountingEnv(AtomicInteger closed) {
            this.closed = closed;
        }

        @Override
        public String id() {
            return "test/counting";
        }

        @Override
        public Space<float[]> observationSpace() {
            return Box.of(1, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
        }

        @Override
        public Space<Integer> actionSpace() {
            return new Discrete(3);
        }

        @Override
        public Reset<float[]> reset(long seed) {
            rng = new Rng(seed);
            return reset();
        }

        @Override
        public Reset<float[]> reset() {
            t = 0;
            obs[0] = (float) rng.nextDouble();
            return new Reset<>(obs, Info.builder().put(T, t).build());
        }

        @Override
        public Step<float[]> step(Integer action) {
            t++;
            obs[0] += action + (float) rng.nextDouble();
            Thread.yield();
            return new Step<>(obs, action, t == 5 && action == 2, t == 5 && action != 2, Info.builder().put(T, t).build());
        }

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }

    static List<String> run(VectorEnv<float[]> vec, long seed, int steps) {
        List<String> log = new ArrayList<>();
        VectorEnv.Resets<float[]> r = vec.reset(seed);
        for (int i = 0; i < vec.size(); i++) {
            log.add("r" + i + "=" + r.observations().get(i)[0]);
        }
        Rng actions = new Rng(99);
        for (int s = 0; s < steps; s++) {
            int[] a = new int[vec.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = actions.nextInt(3);
            }
            VectorEnv.Steps<float[]> st = vec.step(a);
            for (int i = 0; i < vec.size(); i++) {
                log.add(s + ":" + i + "=" + st.observations().get(i)[0] + "," + st.rewards()[i] + ","
                        + st.terminated()[i] + "," + st.truncated()[i] + "," + st.infos()[i].require(CountingEnv.T));
            }
        }
        return log;
    }

    @Test
    void resultsDoNotDependOnSchedulingAndCloseStopsTheThreads() {
        AtomicInteger closed = new AtomicInteger();
        List<String> first;
        try (VectorEnv<float[]> vec = new VectorEnv<>(4, i -> new CountingEnv(closed))) {
            assertEquals(4, vec.size());
            assertEquals("test/counting", vec.id());
            first = run(vec, 10, 40);
            assertEquals(first, run(vec, 10, 40), "same seed, same run");
        }
        assertEquals(4, closed.get());
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("eprop-vector-env-") && t.isAlive()), "threads stopped");
        for (int rep = 0; rep < 3; rep++) {
            try (VectorEnv<float[]> vec = new VectorEnv<>(4, i -> new CountingEnv(closed))) {
                assertEquals(first, run(vec, 10, 40));
            }
        }
    }

    @Test
    void nextStepAutoresetResetsOnTheFollowingStep() {
        AtomicInteger closed = new AtomicInteger();
        try (VectorEnv<float[]> vec = new VectorEnv<>(2, i -> new CountingEnv(closed))) {
            assertEquals(VectorEnv.AutoresetMode.NEXT_STEP, vec.autoresetMode());
            vec.reset(1);
            VectorEnv.Steps<float[]> s = null;
            for (int k = 1; k <= 5; k++) {
                s = vec.step(new int[] {2, 1});
            }
            assertTrue(s.terminated()[0] && !s.truncated()[0]);
            assertTrue(s.truncated()[1] && !s.terminated()[1]);
            assertEquals(5, s.infos()[0].require(CountingEnv.T), "the final info is the step's own");
            VectorEnv.Steps<float[]> r = vec.step(new int[] {2, 2});
            assertArrayEquals(new double[] {0, 0}, r.rewards(), "the reset step ignores the action");
            assertFalse(r.done(0) || r.done(1));
            assertEquals(0, r.infos()[0].require(CountingEnv.T));
            assertEquals(1, vec.step(new int[] {0, 0}).infos()[1].require(CountingEnv.T));
        }
    }

    @Test
    void sameStepAutoresetPutsTheFinalObservationInTheInfo() {
        AtomicInteger closed = new AtomicInteger();
        try (VectorEnv<float[]> vec = new VectorEnv<>(2, i -> new CountingEnv(closed),
                VectorEnv.AutoresetMode.SAME_STEP, null)) {
            vec.reset(1);
            for (int k = 1; k < 5; k++) {
                vec.step(new int[] {2, 0});
            }
            VectorEnv.Steps<float[]> s = vec.step(new int[] {2, 0});
            assertTrue(s.terminated()[0] && s.truncated()[1]);
            assertEquals(2.0, s.rewards()[0]);
            assertEquals(0, s.infos()[0].require(CountingEnv.T), "the observation and info are the new episode's");
            Info fin = s.infos()[0].require(VectorEnv.FINAL_INFO);
            assertEquals(5, fin.require(CountingEnv.T));
            float[] last = (float[]) s.infos()[0].require(VectorEnv.FINAL_OBSERVATION);
            assertTrue(last[0] > s.observations().get(0)[0], "a copy of the last observation");
            assertEquals(1, vec.step(new int[] {0, 0}).infos()[0].require(CountingEnv.T));
        }
    }

    @Test
    void aFactoryFailureIsThrownAsIsAndTheOtherEnvsAreClosed() {
        AtomicInteger closed = new AtomicInteger();
        RomNotFoundException e = assertThrows(RomNotFoundException.class, () -> new VectorEnv<float[]>(3, i -> {
            if (i == 1) {
                throw new RomNotFoundException("pong", List.of(), "no pong here");
            }
            return new CountingEnv(closed);
        }));
        assertEquals("no pong here", e.getMessage());
        assertEquals(2, closed.get());
        VectorEnv<float[]> vec = new VectorEnv<>(1, i -> new CountingEnv(closed));
        assertThrows(IllegalStateException.class, () -> vec.step(new int[] {0}), "reset first");
        vec.reset(0);
        assertThrows(IllegalArgumentException.class, () -> vec.step(new int[] {0, 0}));
        vec.close();
        assertThrows(IllegalStateException.class, () -> vec.reset(0));
    }

    @Test
    void aleVectorMatchesSingleEnvsStepByStep() {
        Path roms = TestRoms.pongDir(tmp);
        AleSettings s = TestRoms.pong(roms).withObservation(AleSettings.Observation.GRAYSCALE)
                .withMaxEpisodeFrames(400);
        int n = 2;
        int steps = 130;
        List<List<Frame>> single = new ArrayList<>();
        List<List<Double>> singleRewards = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            try (AleEnv env = new AleEnv(s)) {
                List<Frame> frames = new ArrayList<>();
                List<Double> rewards = new ArrayList<>();
                frames.add(env.reset(21 + i).observation().copy());
                Rng actions = new Rng(5 + i);
                boolean pending = false;
                for (int k = 0; k < steps; k++) {
                    int a = actions.nextInt(6);
                    if (pending) {
                        frames.add(env.reset().observation().copy());
                        rewards.add(0.0);
                        pending = false;
                        continue;
                    }
                    Step<Frame> st = env.step(a);
                    frames.add(st.observation().copy());
                    rewards.add(st.reward());
                    pending = st.done();
                }
                single.add(frames);
                singleRewards.add(rewards);
            }
        }
        for (int rep = 0; rep < 2; rep++) {
            try (VectorEnv<Frame> vec = VectorEnv.ale(n, s)) {
                VectorEnv.Resets<Frame> r = vec.reset(21);
                Rng[] actions = {new Rng(5), new Rng(6)};
                for (int i = 0; i < n; i++) {
                    assertTrue(single.get(i).get(0).samePixels(r.observations().get(i)));
                }
                int dones = 0;
                for (int k = 0; k < steps; k++) {
                    int[] a = {actions[0].nextInt(6), actions[1].nextInt(6)};
                    VectorEnv.Steps<Frame> st = vec.step(a);
                    for (int i = 0; i < n; i++) {
                        assertTrue(single.get(i).get(k + 1).samePixels(st.observations().get(i)),
                                "env " + i + " step " + k + " round " + rep);
                        assertEquals(singleRewards.get(i).get(k), st.rewards()[i]);
                        dones += st.done(i) ? 1 : 0;
                    }
                }
                assertEquals(n, dones, "each env hit the 400-frame cap once (at step 100; step 101 resets)");
                assertSame(Frame.class, vec.singleObservationSpace().sample(new Rng(0)).getClass());
            }
        }
    }
}
