package org.eprop.envs.toy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.eprop.envs.api.Box;
import org.eprop.envs.api.Reset;
import org.eprop.envs.api.Step;
import org.eprop.learning.rng.Rng;
import org.junit.jupiter.api.Test;

class CatchTest {

    /** The column whose cell is 1.0 in row {@code row} of a grid observation, or -1. */
    private static int columnIn(float[] grid, int columns, int row) {
        int found = -1;
        for (int c = 0; c < columns; c++) {
            if (grid[row * columns + c] == 1f) {
                assertEquals(-1, found, "one object per row");
                found = c;
            }
        }
        return found;
    }

    @Test
    void spacesAreBsuites() {
        Catch env = new Catch();
        assertEquals(new Box(new int[] {10, 5}, 0f, 1f), env.observationSpace());
        assertEquals("Discrete(3)", env.actionSpace().describe());
        assertEquals(9, env.steps());
        assertEquals(Catch.ID, env.id());
    }

    @Test
    void ballFallsOneRowPerStepAndTheEpisodeLastsRowsMinusOneSteps() {
        Catch env = new Catch();
        for (int seed = 0; seed < 20; seed++) {
            Reset<float[]> r = env.reset(seed);
            int ball = r.info().require(Catch.BALL_COLUMN);
            assertEquals(0, r.info().require(Catch.BALL_ROW));
            assertEquals(2, r.info().require(Catch.PADDLE_COLUMN), "paddle starts in the middle column");
            assertEquals(ball, columnIn(r.observation(), 5, 0));
            assertEquals(2, columnIn(r.observation(), 5, 9));
            assertEquals(2f, sum(r.observation()));
            int steps = 0;
            Step<float[]> s;
            do {
                s = env.step(Catch.STAY);
                steps++;
                assertEquals(steps, s.info().require(Catch.BALL_ROW));
                assertEquals(ball, s.info().require(Catch.BALL_COLUMN), "the ball falls straight down");
                assertFalse(s.truncated());
                if (!s.terminated()) {
                    assertEquals(0.0, s.reward());
                    assertEquals(ball, columnIn(s.observation(), 5, steps));
                    assertEquals(2f, sum(s.observation()));
                }
            } while (!s.terminated());
            assertEquals(9, steps);
            // At the bottom the ball shares the paddle's row: one cell if caught, two if missed.
            assertEquals(ball == 2 ? 1.0 : -1.0, s.reward());
            assertEquals(ball == 2 ? 1f : 2f, sum(s.observation()));
            assertEquals(1f, s.observation()[9 * 5 + ball]);
            assertEquals(1f, s.observation()[9 * 5 + 2]);
        }
    }

    @Test
    void paddleMovesAndIsClampedAtTheEdges() {
        Catch env = new Catch();
        env.reset(1);
        for (int expected : new int[] {1, 0, 0, 0}) {
            Step<float[]> s = env.step(Catch.LEFT);
            assertEquals(expected, s.info().require(Catch.PADDLE_COLUMN));
            assertEquals(1f, s.observation()[9 * 5 + expected], "the paddle is drawn in the bottom row");
        }
        Step<float[]> s = null;
        for (int expected : new int[] {1, 2, 3, 4, 4}) {
            s = env.step(Catch.RIGHT);
            assertEquals(expected, s.info().require(Catch.PADDLE_COLUMN));
        }
        assertTrue(s.terminated(), "9 steps");
        assertEquals(s.info().require(Catch.BALL_COLUMN) == 4 ? 1.0 : -1.0, s.reward());
    }

    @Test
    void theLastActionStillMovesThePaddleBeforeTheBallLands() {
        Catch env = new Catch(new Catch.Params(2, 5));
        int seen = 0;
        for (int seed = 0; seed < 50; seed++) {
            Reset<float[]> r = env.reset(seed);
            if (r.info().require(Catch.BALL_COLUMN) == 1) {
                Step<float[]> s = env.step(Catch.LEFT);
                assertTrue(s.terminated(), "one step on a 2-row grid");
                assertEquals(1.0, s.reward(), "moved under the ball on the only step");
                seen++;
            }
        }
        assertTrue(seen > 0);
    }

    /** Moves towards the ball's column; reaches it in time whenever it is at most rows - 1 columns away. */
    private static double greedyEpisode(Catch env, Reset<float[]> r) {
        int ball = r.info().require(Catch.BALL_COLUMN);
        int paddle = r.info().require(Catch.PADDLE_COLUMN);
        Step<float[]> s;
        do {
            s = env.step(Integer.compare(ball, paddle) + 1);
            paddle = s.info().require(Catch.PADDLE_COLUMN);
        } while (!s.done());
        return s.reward();
    }

    @Test
    void theOptimalPolicyAlwaysCatches() {
        for (Catch.Params p : List.of(Catch.Params.defaults(), new Catch.Params(5, 9), new Catch.Params(3, 1))) {
            Catch env = new Catch(p);
            int[] ballColumns = new int[p.columns()];
            for (int episode = 0; episode < 500; episode++) {
                Reset<float[]> r = episode == 0 ? env.reset(7) : env.reset();
                ballColumns[r.info().require(Catch.BALL_COLUMN)]++;
                assertEquals(1.0, greedyEpisode(env, r), "greedy catches every ball on " + p);
            }
            for (int count : ballColumns) {
                assertTrue(count > 0, "every column is a start column");
            }
        }
    }

    @Test
    void aBallOutOfReachIsMissedEvenByTheGreedyPolicy() {
        Catch env = new Catch(new Catch.Params(2, 7));
        int missed = 0;
        for (int episode = 0; episode < 200; episode++) {
            Reset<float[]> r = episode == 0 ? env.reset(3) : env.reset();
            int distance = Math.abs(r.info().require(Catch.BALL_COLUMN) - 3);
            double reward = greedyEpisode(env, r);
            assertEquals(distance <= 1 ? 1.0 : -1.0, reward);
            missed += reward < 0 ? 1 : 0;
        }
        assertTrue(missed > 0);
    }

    /**
     * The ball's column is uniform and independent of a random policy's paddle, so whatever the
     * paddle does P(catch) = 1/columns and the expected reward is 2/columns - 1 = -0.6 on 10 x 5.
     */
    @Test
    void aRandomPolicyAveragesTheAnalyticExpectation() {
        Catch env = new Catch();
        Rng policy = new Rng(11);
        int episodes = 20_000;
        double total = 0;
        env.reset(5);
        for (int e = 0; e < episodes; e++) {
            if (e > 0) {
                env.reset();
            }
            Step<float[]> s;
            do {
                s = env.step(env.actionSpace().sample(policy));
            } while (!s.done());
            total += s.reward();
        }
        // Rewards are +-1: the standard deviation of the mean is sqrt(1 - 0.36)/sqrt(n) = 0.0057.
        assertEquals(-0.6, total / episodes, 0.025);
    }

    @Test
    void theSameSeedGivesTheSameEpisodesAndResetContinuesTheStream() {
        Catch a = new Catch();
        Catch b = new Catch();
        List<Integer> columnsA = new ArrayList<>();
        List<Integer> columnsB = new ArrayList<>();
        a.reset(42);
        b.reset(42);
        for (int e = 0; e < 50; e++) {
            Reset<float[]> ra = a.reset();
            Reset<float[]> rb = b.reset();
            assertArrayEquals(ra.observation(), rb.observation());
            columnsA.add(ra.info().require(Catch.BALL_COLUMN));
            columnsB.add(rb.info().require(Catch.BALL_COLUMN));
            Step<float[]> sa;
            Step<float[]> sb;
            do {
                sa = a.step(Catch.RIGHT);
                sb = b.step(Catch.RIGHT);
                assertArrayEquals(sa.observation(), sb.observation());
                assertEquals(sa.reward(), sb.reward());
            } while (!sa.done());
            assertTrue(sb.done());
        }
        assertEquals(columnsA, columnsB);
        assertTrue(columnsA.stream().distinct().count() > 1, "reset() draws new episodes");
        Reset<float[]> again = a.reset(42);
        assertEquals(new Catch().reset(42).info().require(Catch.BALL_COLUMN), again.info().require(Catch.BALL_COLUMN),
                "reset(seed) reseeds");
    }

    @Test
    void observationsAreOneReusedArrayThatACopyOutlives() {
        Catch env = new Catch();
        Reset<float[]> r = env.reset(0);
        float[] first = r.observation().clone();
        Step<float[]> s = env.step(Catch.LEFT);
        assertSame(r.observation(), s.observation(), "one array, refilled at every call");
        assertSame(s, env.step(Catch.LEFT), "one step result, refilled at every call");
        assertEquals(1f, first[r.info().require(Catch.BALL_COLUMN)], "the copy still shows the ball in row 0");
        assertEquals(0f, s.observation()[r.info().require(Catch.BALL_COLUMN)], "the ball has left row 0");
    }

    @Test
    void misuseIsRejected() {
        Catch env = new Catch();
        assertThrows(IllegalStateException.class, () -> env.step(Catch.STAY), "step before reset");
        env.reset(0);
        assertThrows(IllegalArgumentException.class, () -> env.step(3));
        assertThrows(IllegalArgumentException.class, () -> env.step(-1));
        assertThrows(IllegalArgumentException.class, () -> env.step(null));
        Step<float[]> s;
        do {
            s = env.step(Catch.STAY);
        } while (!s.done());
        assertThrows(IllegalStateException.class, () -> env.step(Catch.STAY), "step after the end");
    }

    @Test
    void badParamsAreRejectedNamingTheKey() {
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class, () -> new Catch.Params(1, 5));
        assertTrue(rows.getMessage().startsWith("rows must be >= 2"), rows.getMessage());
        assertTrue(rows.getMessage().endsWith("got 1"), rows.getMessage());
        IllegalArgumentException columns = assertThrows(IllegalArgumentException.class, () -> new Catch.Params(10, 0));
        assertTrue(columns.getMessage().startsWith("columns must be >= 1"), columns.getMessage());
        assertEquals(new Catch.Params(10, 5), Catch.Params.defaults());
    }

    private static float sum(float[] a) {
        float s = 0;
        for (float v : a) {
            s += v;
        }
        return s;
    }
}
