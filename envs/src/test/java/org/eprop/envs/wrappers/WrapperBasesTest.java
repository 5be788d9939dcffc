package org.eprop.envs.wrappers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.eprop.envs.api.ActionWrapper;
import org.eprop.envs.api.Discrete;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Frame;
import org.eprop.envs.api.FrameSkipping;
import org.eprop.envs.api.Info;
import org.eprop.envs.api.Reset;
import org.eprop.envs.api.RewardWrapper;
import org.eprop.envs.api.Space;
import org.eprop.envs.api.Step;
import org.eprop.envs.api.Wrapper;
import org.eprop.learning.rng.Rng;
import org.junit.jupiter.api.Test;

/** The wrapper bases: what passes through, and what RewardWrapper and ActionWrapper change. */
class WrapperBasesTest {

    /** Records every call it receives and answers with fixed objects, so identity can be checked. */
    static final class Recorder implements Env<String, Integer>, FrameSkipping {
        final List<String> calls = new ArrayList<>();
        final Space<String> observations = new Space<>() {
            @Override
            public boolean contains(String value) {
                return value != null;
            }

            @Override
            public String sample(Rng rng) {
                return "s";
            }

            @Override
            public String describe() {
                return "Strings";
            }
        };
        final Space<Integer> actions = new Discrete(5);
        final Info info = Info.builder().put(Info.Key.of("k", Integer.class), 1).build();
        final Reset<String> seeded = new Reset<>("seeded", info);
        final Reset<String> next = new Reset<>("next", info);
        final Step<String> step = new Step<>("stepped", 7.0, false, true, info);
        int lastAction = -1;

        @Override
        public String id() {
            calls.add("id");
            return "test/recorder";
        }

        @Override
        public Space<String> observationSpace() {
            calls.add("observationSpace");
            return observations;
        }

        @Override
        public Space<Integer> actionSpace() {
            calls.add("actionSpace");
            return actions;
        }

        @Override
        public Reset<String> reset(long seed) {
            calls.add("reset(" + seed + ")");
            return seeded;
        }

        @Override
        public Reset<String> reset() {
            calls.add("reset()");
            return next;
        }

        @Override
        public Step<String> step(Integer action) {
            calls.add("step(" + action + ")");
            lastAction = action;
            return step;
        }

        @Override
        public void close() {
            calls.add("close");
        }

        @Override
        public int frameskip() {
            return 3;
        }
    }

    /** A wrapper that overrides nothing. */
    static final class Plain<O, A> extends Wrapper<O, A> {
        Plain(Env<O, A> env) {
            super(env);
        }
    }

    @Test
    void everyMemberOfEnvReachesTheInnerEnvironmentUnchanged() {
        Recorder game = new Recorder();
        Plain<String, Integer> w = new Plain<>(game);
        assertEquals("test/recorder", w.id());
        assertSame(game.observations, w.observationSpace());
        assertSame(game.actions, w.actionSpace());
        assertSame(game.seeded, w.reset(42));
        assertSame(game.next, w.reset());
        assertSame(game.step, w.step(3));
        assertSame(game, w.unwrapped());
        assertSame(game, w.inner());
        w.close();
        assertEquals(List.of("id", "observationSpace", "actionSpace", "reset(42)", "reset()", "step(3)", "close"),
                game.calls);
    }

    @Test
    void aStackReportsTheInnerIdSpacesAndUnwrappedEnvironment() {
        FakeGame game = FakeGame.atari();
        Env<Frame, Integer> stack = new TimeLimit<>(new FireReset<>(new EpisodicLife<>(new NoopReset<>(
                new EpisodeStatistics<>(new ClipReward<>(new Plain<>(game))), 3))), 100);
        assertEquals("fake", stack.id());
        assertSame(game.observationSpace(), stack.observationSpace());
        assertEquals(game.actionSpace(), stack.actionSpace());
        assertSame(game, stack.unwrapped());
        assertEquals(1, FrameSkipping.total(stack));
        assertEquals(8, Wrappers.chain(stack).size(), "seven layers and the game");
        assertEquals("TimeLimit(100) > FireReset(1) > EpisodicLife > NoopReset(0..3) > EpisodeStatistics "
                + "> ClipReward([-1.0, 1.0]) > Plain > fake", Wrappers.describe(stack));
        stack.reset(5);
        stack.step(2);
        stack.close();
        assertTrue(game.closed, "close reaches the game through every layer");
        assertEquals(List.of(5L), game.seeds, "the seed reaches the game");
    }

    @Test
    void frameSkipsAreCountedThroughTypeChangingLayers() {
        Recorder game = new Recorder();
        Env<String, Integer> w = new Plain<>(new ActionSubset<>(new Plain<>(game), 0, 1));
        assertEquals(3, FrameSkipping.total(w));
        assertSame(game, w.unwrapped());
        assertEquals("Plain > ActionSubset[0, 1] > Plain > test/recorder", Wrappers.describe(w));
    }

    @Test
    void rewardWrapperMapsOnlyTheReward() {
        Recorder game = new Recorder();
        RewardWrapper<String, Integer> doubled = new RewardWrapper<>(game) {
            @Override
            protected double reward(double reward) {
                return 2 * reward;
            }
        };
        Step<String> s = doubled.step(4);
        assertEquals(14.0, s.reward());
        assertSame(game.step.observation(), s.observation());
        assertSame(game.step.info(), s.info());
        assertEquals(game.step.terminated(), s.terminated());
        assertEquals(game.step.truncated(), s.truncated());
        assertEquals(4, game.lastAction);
        assertSame(game.seeded, doubled.reset(1), "resets pass through");
        assertSame(game.observations, doubled.observationSpace());
        assertSame(game.actions, doubled.actionSpace());
    }

    @Test
    void actionWrapperMapsAReducedActionSetOntoTheGamesActions() {
        // Pong with the paper's {NOOP, RIGHT, LEFT} on the full action set, where they are 0, 3, 4
        Recorder game = new Recorder();
        ActionSubset<String> pong = new ActionSubset<>(game, 0, 3, 4);
        assertEquals(new Discrete(3), pong.actionSpace());
        assertSame(game.observations, pong.observationSpace());
        int[] expected = {0, 3, 4};
        for (int a = 0; a < 3; a++) {
            assertSame(game.step, pong.step(a));
            assertEquals(expected[a], game.lastAction);
        }
        assertSame(game.next, pong.reset());
        assertSame(game, pong.unwrapped());
        assertEquals("test/recorder", pong.id());
        assertThrows(IllegalArgumentException.class, () -> pong.step(3), "outside the reduced set");
        assertThrows(IllegalArgumentException.class, () -> new ActionSubset<>(game, 0, 5), "not a game action");
    }

    @Test
    void actionWrapperCanChangeTheActionType() {
        Recorder game = new Recorder();
        ActionWrapper<String, String, Integer> named = new ActionWrapper<>(game) {
            private final List<String> names = List.of("noop", "fire", "right", "left", "down");

            @Override
            public Space<String> actionSpace() {
                return new Space<>() {
                    @Override
                    public boolean contains(String value) {
                        return names.contains(value);
                    }

                    @Override
                    public String sample(Rng rng) {
                        return names.get(rng.nextInt(names.size()));
                    }

                    @Override
                    public String describe() {
                        return names.toString();
                    }
                };
            }

            @Override
            protected Integer action(String action) {
                return names.indexOf(action);
            }
        };
        named.step("left");
        assertEquals(3, game.lastAction);
        // the no-ops of NoopReset stacked below act in the game's numbering
        FakeGame fake = FakeGame.atari();
        ActionSubset<Frame> pong = new ActionSubset<>(new NoopReset<>(fake, 2, 2, 1), 0, 2, 3);
        pong.reset(1);
        pong.step(2);
        assertEquals(List.of(1, 1, 3), fake.actions, "two no-ops with the game's action 1, then outer 2 = game's 3");
    }
}
