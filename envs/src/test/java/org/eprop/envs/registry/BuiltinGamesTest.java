package org.eprop.envs.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Step;
import org.eprop.envs.cue.EvidenceAccumulation;
import org.eprop.envs.cue.EvidenceAccumulationRl;
import org.eprop.envs.toy.Catch;
import org.eprop.envs.vector.VectorEnv;
import org.junit.jupiter.api.Test;

/** The built-in games made through their specs and run 32 at a time in a {@link VectorEnv}, as an agent runs them. */
class BuiltinGamesTest {
    private static final int N = 32;
    private static final EvidenceAccumulation.Timing SHORT =
            new EvidenceAccumulation.Timing(3, 20, 40, 60, 50, 40, 40, 10, 0.7, 2, 10.0);
    private static final EvidenceAccumulationRl.Params SHORT_LAST =
            new EvidenceAccumulationRl.Params(SHORT, EvidenceAccumulationRl.Reward.LAST_STEP);

    @Test
    void bothAreGamesWithFloatObservationsAndIntegerActionsAndIdsDoNotClash() {
        List<EnvSpec<?>> games = BuiltinGames.all();
        assertEquals(List.of(Catch.ID, EvidenceAccumulationRl.ID), games.stream().map(EnvSpec::id).toList());
        for (EnvSpec<?> spec : games) {
            GameSpec<?, ?, ?> game = (GameSpec<?, ?, ?>) spec;
            assertSame(float[].class, game.observationType());
            assertSame(Integer.class, game.actionType());
            assertEquals("game", game.kind());
            validateDefaults(spec);
        }
        Set<String> ids = new HashSet<>();
        Stream.concat(BuiltinTasks.all().stream(), games.stream()).forEach(s -> assertTrue(ids.add(s.id()), s.id()));
    }

    private static <P> void validateDefaults(EnvSpec<P> spec) {
        new BoundEnv<>(spec, spec.defaultParams()).validate();
    }

    @Test
    void specsMakeEnvironmentsWithTheirParams() {
        GameSpec<Catch.Params, float[], Integer> c = BuiltinGames.catchGame();
        assertEquals(Catch.Params.defaults(), c.defaultParams());
        try (Env<float[], Integer> env = c.env(new Catch.Params(6, 3))) {
            assertEquals(Catch.ID, env.id());
            assertEquals(18, env.reset(0).observation().length);
            assertEquals(5, ((Catch) env.unwrapped()).steps());
        }
        GameSpec<EvidenceAccumulationRl.Params, float[], Integer> e = BuiltinGames.evidenceAccumulationRl();
        assertEquals(EvidenceAccumulationRl.Params.reference(), e.defaultParams());
        assertEquals(EvidenceAccumulationRl.Reward.RECALL_WINDOW, e.defaultParams().reward());
        assertEquals(EvidenceAccumulation.Timing.reference(), e.defaultParams().timing());
        try (Env<float[], Integer> env = e.env(SHORT_LAST)) {
            assertEquals(EvidenceAccumulationRl.ID, env.id());
            assertEquals(8, env.reset(0).observation().length);
            assertEquals(27, ((EvidenceAccumulationRl) env.unwrapped()).steps());
        }
    }

    /** Reads the ball's and the paddle's columns from the grid (not the info) and moves towards the ball. */
    private static int greedy(float[] grid, int rows, int columns) {
        int ball = -1;
        int paddle = -1;
        for (int c = 0; c < columns; c++) {
            if (grid[(rows - 1) * columns + c] == 1f) {
                paddle = c;
            }
        }
        for (int r = 0; r < rows - 1 && ball < 0; r++) {
            for (int c = 0; c < columns; c++) {
                if (grid[r * columns + c] == 1f) {
                    ball = c;
                }
            }
        }
        return ball < 0 ? Catch.STAY : Integer.compare(ball, paddle) + 1;
    }

    @Test
    void catchInAVectorOf32WithAutoReset() {
        GameSpec<Catch.Params, float[], Integer> spec = BuiltinGames.catchGame();
        try (VectorEnv<float[], Integer> vec = new VectorEnv<>(N, i -> spec.env(spec.defaultParams()))) {
            assertEquals(Catch.ID, vec.id());
            VectorEnv.Resets<float[]> resets = vec.reset(100);
            List<float[]> obs = resets.observations();
            int[] lengths = new int[N];
            int episodes = 0;
            double total = 0;
            Integer[] actions = new Integer[N];
            boolean[] wasDone = new boolean[N];
            for (int t = 0; t < 10 * 10; t++) {
                for (int i = 0; i < N; i++) {
                    actions[i] = greedy(obs.get(i), 10, 5);
                }
                VectorEnv.Steps<float[]> s = vec.step(Arrays.asList(actions));
                for (int i = 0; i < N; i++) {
                    if (wasDone[i]) {
                        // Next-step auto-reset: this step started a new episode.
                        assertEquals(0.0, s.rewards()[i]);
                        assertFalse(s.done(i));
                        assertEquals(0, s.infos()[i].require(Catch.BALL_ROW));
                        lengths[i] = 0;
                    } else {
                        lengths[i]++;
                        if (s.done(i)) {
                            assertEquals(9, lengths[i], "env " + i);
                            assertTrue(s.terminated()[i]);
                            total += s.rewards()[i];
                            episodes++;
                        } else {
                            assertEquals(0.0, s.rewards()[i]);
                        }
                    }
                    wasDone[i] = s.done(i);
                }
                obs = s.observations();
            }
            assertEquals(N * 10, episodes, "100 steps are 10 episodes of 9 steps plus their resets");
            assertEquals(1.0, total / episodes, "the greedy policy reads the grid and always catches");
        }
    }

    @Test
    void eachVectorSlotFollowsTheSingleEnvironmentWithItsSeed() {
        GameSpec<Catch.Params, float[], Integer> spec = BuiltinGames.catchGame();
        int steps = 40;
        List<List<Double>> vectorRewards = new ArrayList<>();
        try (VectorEnv<float[], Integer> vec = new VectorEnv<>(N, i -> spec.env(spec.defaultParams()))) {
            List<float[]> first = vec.reset(7).observations();
            Integer[] actions = new Integer[N];
            for (int i = 0; i < N; i++) {
                vectorRewards.add(new ArrayList<>());
                assertArrayEquals(spec.env(spec.defaultParams()).reset(7 + i).observation(), first.get(i));
            }
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < N; i++) {
                    actions[i] = (t + i) % 3;
                }
                VectorEnv.Steps<float[]> s = vec.step(Arrays.asList(actions));
                for (int i = 0; i < N; i++) {
                    vectorRewards.get(i).add(s.rewards()[i]);
                }
            }
        }
        for (int i = 0; i < N; i++) {
            Env<float[], Integer> env = spec.env(spec.defaultParams());
            env.reset(7 + i);
            List<Double> rewards = new ArrayList<>();
            boolean pending = false;
            for (int t = 0; t < steps; t++) {
                if (pending) {
                    env.reset();
                    rewards.add(0.0);
                    pending = false;
                } else {
                    Step<float[]> s = env.step((t + i) % 3);
                    rewards.add(s.reward());
                    pending = s.done();
                }
            }
            assertEquals(rewards, vectorRewards.get(i), "slot " + i);
        }
    }

    @Test
    void evidenceAccumulationRlInAVectorOf32WithAutoReset() {
        GameSpec<EvidenceAccumulationRl.Params, float[], Integer> spec = BuiltinGames.evidenceAccumulationRl();
        try (VectorEnv<float[], Integer> vec = new VectorEnv<>(N, i -> spec.env(SHORT_LAST))) {
            VectorEnv.Resets<float[]> resets = vec.reset(3);
            int[] correctSide = new int[N];
            for (int i = 0; i < N; i++) {
                correctSide[i] = resets.infos()[i].require(EvidenceAccumulationRl.CORRECT_SIDE);
            }
            Integer[] actions = new Integer[N];
            int[] lengths = new int[N];
            boolean[] wasDone = new boolean[N];
            int right = 0;
            int wrong = 0;
            // Slots of even index choose the majority side, odd ones the other side.
            for (int t = 0; t < 3 * 28; t++) {
                for (int i = 0; i < N; i++) {
                    actions[i] = i % 2 == 0 ? correctSide[i] : 1 - correctSide[i];
                }
                VectorEnv.Steps<float[]> s = vec.step(Arrays.asList(actions));
                for (int i = 0; i < N; i++) {
                    if (wasDone[i]) {
                        correctSide[i] = s.infos()[i].require(EvidenceAccumulationRl.CORRECT_SIDE);
                        lengths[i] = 0;
                        assertFalse(s.done(i));
                    } else {
                        lengths[i]++;
                        if (s.done(i)) {
                            assertEquals(27, lengths[i]);
                            assertEquals(i % 2 == 0 ? 1.0 : -1.0, s.rewards()[i]);
                            right += s.rewards()[i] > 0 ? 1 : 0;
                            wrong += s.rewards()[i] < 0 ? 1 : 0;
                        } else {
                            assertEquals(0.0, s.rewards()[i]);
                            assertEquals(8, s.observations().get(i).length);
                        }
                    }
                    wasDone[i] = s.done(i);
                }
            }
            assertEquals(3 * N / 2, right, "3 episodes of 27 steps plus their resets per slot");
            assertEquals(3 * N / 2, wrong);
        }
    }
}
