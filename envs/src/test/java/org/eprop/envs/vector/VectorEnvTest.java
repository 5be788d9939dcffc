package org.eprop.envs.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eprop.envs.api.ActionWrapper;
import org.eprop.envs.api.Box;
import org.eprop.envs.api.Discrete;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Info;
import org.eprop.envs.api.Reset;
import org.eprop.envs.api.Space;
import org.eprop.envs.api.Step;
import org.eprop.learning.rng.Rng;
import org.junit.jupiter.api.Test;

/** The generic behaviour of {@link VectorEnv} on a fake environment (the ALE one is in the ale tests). */
class VectorEnvTest {

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

    /** Actions as the caller of a vector env keeps them: one list, refilled every step. */
    static List<Integer> actions(int... a) {
        List<Integer> l = new ArrayList<>(a.length);
        for (int x : a) {
            l.add(x);
        }
        return l;
    }

    static List<String> run(VectorEnv<float[], Integer> vec, long seed, int steps) {
        List<String> log = new ArrayList<>();
        VectorEnv.Resets<float[]> r = vec.reset(seed);
        for (int i = 0; i < vec.size(); i++) {
            log.add("r" + i + "=" + r.observations().get(i)[0]);
        }
        Rng actions = new Rng(99);
        List<Integer> a = actions(new int[vec.size()]);
        for (int s = 0; s < steps; s++) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, actions.nextInt(3));
            }
            VectorEnv.Steps<float[]> st = vec.step(a);
            for (int i = 0; i < vec.size(); i++) {
                log.add(s + ":" + i + "=" + st.observations().get(i)[0] + "," + st.rewards()[i] + ","
                        + st.terminated()[i] + "," + st.truncated()[i] + "," + st.infos()[i].require(CountingEnv.T));
            }
        }
        return log;
    }

    /** A failure of the environment factory, e.g. a missing ROM. */
    static final class FactoryFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FactoryFailure(String message) {
            super(message);
        }
    }

    @Test
    void resultsDoNotDependOnSchedulingAndCloseStopsTheThreads() {
        AtomicInteger closed = new AtomicInteger();
        List<String> first;
        try (VectorEnv<float[], Integer> vec = new VectorEnv<>(4, i -> new CountingEnv(closed))) {
            assertEquals(4, vec.size());
            assertEquals("test/counting", vec.id());
            first = run(vec, 10, 40);
            assertEquals(first, run(vec, 10, 40), "same seed, same run");
        }
        assertEquals(4, closed.get());
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("eprop-vector-env-") && t.isAlive()), "threads stopped");
        for (int rep = 0; rep < 3; rep++) {
            try (VectorEnv<float[], Integer> vec = new VectorEnv<>(4, i -> new CountingEnv(closed))) {
                assertEquals(first, run(vec, 10, 40));
            }
        }
    }

    /** A CountingEnv that records every thread that touches it. */
    static final class ConfinedEnv implements Env<float[], Integer> {
        final CountingEnv inner;
        final java.util.Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();

        ConfinedEnv(AtomicInteger closed) {
            threads.add(Thread.currentThread());
            inner = new CountingEnv(closed);
        }

        @Override
        public String id() {
            return inner.id();
        }

        @Override
        public Space<float[]> observationSpace() {
            return inner.observationSpace();
        }

        @Override
        public Space<Integer> actionSpace() {
            return inner.actionSpace();
        }

        @Override
        public Reset<float[]> reset(long seed) {
            threads.add(Thread.currentThread());
            return inner.reset(seed);
        }

        @Override
        public Reset<float[]> reset() {
            threads.add(Thread.currentThread());
            return inner.reset();
        }

        @Override
        public Step<float[]> step(Integer action) {
            threads.add(Thread.currentThread());
            return inner.step(action);
        }

        @Override
        public void close() {
            threads.add(Thread.currentThread());
            inner.close();
        }
    }

    @Test
    void environmentsShareTheGivenThreadsEachConfinedToOneAndResultsDoNotDependOnTheirNumber() {
        AtomicInteger closed = new AtomicInteger();
        List<String> reference;
        try (VectorEnv<float[], Integer> vec = VectorEnv.synchronous(7, i -> new CountingEnv(closed),
                VectorEnv.AutoresetMode.NEXT_STEP, null)) {
            assertEquals(0, vec.threads());
            reference = run(vec, 3, 30);
        }
        for (int threads : new int[] {1, 2, 3, 7, 20}) {
            List<ConfinedEnv> envs = java.util.Collections.synchronizedList(new ArrayList<>());
            try (VectorEnv<float[], Integer> vec = new VectorEnv<>(7, i -> {
                ConfinedEnv e = new ConfinedEnv(closed);
                envs.add(e);
                return e;
            }, VectorEnv.AutoresetMode.NEXT_STEP, null, threads)) {
                assertEquals(Math.min(7, threads), vec.threads());
                assertEquals(reference, run(vec, 3, 30), threads + " threads");
            }
            java.util.Set<Thread> all = new java.util.HashSet<>();
            for (ConfinedEnv e : envs) {
                assertEquals(1, e.threads.size(), "an environment is made, stepped and closed on one thread: " + e.threads);
                all.addAll(e.threads);
            }
            assertEquals(Math.min(7, threads), all.size(), "threads used");
            assertTrue(all.stream().noneMatch(t -> t == Thread.currentThread()), "not on the caller's thread");
        }
        assertThrows(IllegalArgumentException.class, () -> new VectorEnv<>(2, i -> new CountingEnv(closed),
                VectorEnv.AutoresetMode.NEXT_STEP, null, 0));
    }

    /** CountingEnv driven by the letters a, b, c instead of 0, 1, 2. */
    static Env<float[], String> lettered(AtomicInteger closed) {
        return new ActionWrapper<float[], String, Integer>(new CountingEnv(closed)) {
            @Override
            public Space<String> actionSpace() {
                return new Space<>() {
                    @Override
                    public boolean contains(String value) {
                        return value != null && value.length() == 1 && value.charAt(0) >= 'a' && value.charAt(0) <= 'c';
                    }

                    @Override
                    public String sample(Rng rng) {
                        return String.valueOf((char) ('a' + rng.nextInt(3)));
                    }

                    @Override
                    public String describe() {
                        return "{a, b, c}";
                    }
                };
            }

            @Override
            protected Integer action(String action) {
                return action.charAt(0) - 'a';
            }
        };
    }

    @Test
    void actionsOfAnyTypeReachTheirEnvironments() {
        AtomicInteger closed = new AtomicInteger();
        try (VectorEnv<float[], String> letters = new VectorEnv<>(2, i -> lettered(closed));
                VectorEnv<float[], Integer> numbers = new VectorEnv<>(2, i -> new CountingEnv(closed))) {
            assertEquals("{a, b, c}", letters.singleActionSpace().describe());
            letters.reset(3);
            numbers.reset(3);
            for (int k = 0; k < 12; k++) {
                VectorEnv.Steps<float[]> a = letters.step(List.of("c", "b"));
                VectorEnv.Steps<float[]> b = numbers.step(actions(2, 1));
                assertArrayEquals(b.rewards(), a.rewards(), "step " + k);
                assertEquals(b.observations().get(1)[0], a.observations().get(1)[0]);
            }
        }
        assertEquals(4, closed.get());
    }

    @Test
    void nextStepAutoresetResetsOnTheFollowingStep() {
        AtomicInteger closed = new AtomicInteger();
        try (VectorEnv<float[], Integer> vec = new VectorEnv<>(2, i -> new CountingEnv(closed))) {
            assertEquals(VectorEnv.AutoresetMode.NEXT_STEP, vec.autoresetMode());
            vec.reset(1);
            VectorEnv.Steps<float[]> s = null;
            for (int k = 1; k <= 5; k++) {
                s = vec.step(actions(2, 1));
            }
            assertTrue(s.terminated()[0] && !s.truncated()[0]);
            assertTrue(s.truncated()[1] && !s.terminated()[1]);
            assertEquals(5, s.infos()[0].require(CountingEnv.T), "the final info is the step's own");
            VectorEnv.Steps<float[]> r = vec.step(actions(2, 2));
            assertArrayEquals(new double[] {0, 0}, r.rewards(), "the reset step ignores the action");
            assertFalse(r.done(0) || r.done(1));
            assertEquals(0, r.infos()[0].require(CountingEnv.T));
            assertEquals(1, vec.step(actions(0, 0)).infos()[1].require(CountingEnv.T));
        }
    }

    @Test
    void sameStepAutoresetPutsTheFinalObservationInTheInfo() {
        AtomicInteger closed = new AtomicInteger();
        try (VectorEnv<float[], Integer> vec = new VectorEnv<>(2, i -> new CountingEnv(closed),
                VectorEnv.AutoresetMode.SAME_STEP, null)) {
            vec.reset(1);
            for (int k = 1; k < 5; k++) {
                vec.step(actions(2, 0));
            }
            VectorEnv.Steps<float[]> s = vec.step(actions(2, 0));
            assertTrue(s.terminated()[0] && s.truncated()[1]);
            assertEquals(2.0, s.rewards()[0]);
            assertEquals(0, s.infos()[0].require(CountingEnv.T), "the observation and info are the new episode's");
            Info fin = s.infos()[0].require(VectorEnv.FINAL_INFO);
            assertEquals(5, fin.require(CountingEnv.T));
            float[] last = (float[]) s.infos()[0].require(VectorEnv.FINAL_OBSERVATION);
            assertTrue(last[0] > s.observations().get(0)[0], "a copy of the last observation");
            assertEquals(1, vec.step(actions(0, 0)).infos()[0].require(CountingEnv.T));
        }
    }

    @Test
    void aFactoryFailureIsThrownAsIsAndTheOtherEnvsAreClosed() {
        AtomicInteger closed = new AtomicInteger();
        FactoryFailure e = assertThrows(FactoryFailure.class, () -> new VectorEnv<float[], Integer>(3, i -> {
            if (i == 1) {
                throw new FactoryFailure("no pong here");
            }
            return new CountingEnv(closed);
        }));
        assertEquals("no pong here", e.getMessage());
        assertEquals(2, closed.get());
        VectorEnv<float[], Integer> vec = new VectorEnv<>(1, i -> new CountingEnv(closed));
        assertThrows(IllegalStateException.class, () -> vec.step(actions(0)), "reset first");
        vec.reset(0);
        assertThrows(IllegalArgumentException.class, () -> vec.step(actions(0, 0)));
        vec.close();
        assertThrows(IllegalStateException.class, () -> vec.reset(0));
    }
}
